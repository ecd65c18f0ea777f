import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectApi } from './api/connect-api';
import { App } from './components/app';
import { startSession } from './store/actions';
import './styles.css';

startSession(connectApi());
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
