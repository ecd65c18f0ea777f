import { useEffect, useState, type UIEvent } from 'react';

/** Rows drawn beyond the visible ones, so fast scrolling shows no gaps. */
const OVERSCAN = 8;

export interface VirtualWindow {
  /** Give it to the scrolling element (a callback ref: it may mount later than the list). */
  ref: (el: HTMLElement | null) => void;
  /** First row in the DOM and one past the last. */
  first: number;
  last: number;
  onScroll: (e: UIEvent<HTMLElement>) => void;
}

/**
 * Which rows of a fixed-height list are in view of a scrolling element: only those (and a few
 * more) go into the DOM, so a table of thousands of rows costs what one screenful costs.
 */
export function useVirtualWindow(count: number, rowHeight: number): VirtualWindow {
  const [element, setElement] = useState<HTMLElement | null>(null);
  const [viewport, setViewport] = useState(0);
  const [scrollTop, setScrollTop] = useState(0);
  useEffect(() => {
    if (!element) return;
    setViewport(element.clientHeight);
    setScrollTop(element.scrollTop);
    const observer = new ResizeObserver(() => setViewport(element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, [element]);
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN);
  const last = Math.max(
    first,
    Math.min(count, Math.ceil((scrollTop + viewport) / rowHeight) + OVERSCAN),
  );
  return {
    ref: setElement,
    first,
    last,
    onScroll: (e) => setScrollTop(e.currentTarget.scrollTop),
  };
}
