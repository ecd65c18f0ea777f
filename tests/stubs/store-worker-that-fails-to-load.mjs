// A store commit thread whose script throws while it loads, before it opens anything (as one
// whose native SQLite module does not load would).
throw new Error('the native module did not load');
