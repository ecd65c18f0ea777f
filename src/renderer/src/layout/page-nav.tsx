import { useEffect } from 'react';
import { showPage } from '../store/actions';
import { useAppStore } from '../store/app-store';
import { PAGES } from './page';

/** Tabs for the pages; Alt+1…4 switch from anywhere, arrow keys move between the tabs. */
export function PageNav(): React.JSX.Element {
  const page = useAppStore((s) => s.page);
  const unread = useAppStore((s) => s.unreadAlerts);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const target = PAGES.find((p) => e.code === `Digit${p.shortcut}`);
      if (target) {
        e.preventDefault();
        showPage(target.id);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const move = (delta: number): void => {
    const i = PAGES.findIndex((p) => p.id === page);
    const next = PAGES[(i + delta + PAGES.length) % PAGES.length]!;
    showPage(next.id);
    document.getElementById(`tab-${next.id}`)?.focus();
  };

  return (
    <nav className="page-nav" role="tablist" aria-label="Pages">
      {PAGES.map((p) => (
        <button
          key={p.id}
          id={`tab-${p.id}`}
          type="button"
          role="tab"
          aria-selected={page === p.id}
          tabIndex={page === p.id ? 0 : -1}
          aria-keyshortcuts={`Alt+${p.shortcut}`}
          title={`${p.label} (Alt+${p.shortcut})`}
          className={page === p.id ? 'tab active' : 'tab'}
          onClick={() => showPage(p.id)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowRight') move(1);
            else if (e.key === 'ArrowLeft') move(-1);
          }}
          data-testid={`nav-${p.id}`}
        >
          {p.label}
          {p.id === 'alerts' && unread > 0 && (
            <span className="nav-count" aria-label={`${unread} new`}>
              {unread}
            </span>
          )}
        </button>
      ))}
    </nav>
  );
}
