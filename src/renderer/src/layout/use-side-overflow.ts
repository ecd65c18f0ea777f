import { useEffect, useState } from 'react';

/** How much of a sideways-scrolling element is out of view, to say so (scrollbars may be hidden). */
export interface SideOverflow {
  /** A callback ref for the scrolling element. */
  ref: (el: HTMLElement | null) => void;
  /** Columns lie to the right of what is shown. */
  moreRight: boolean;
  /** Columns lie to the left (it was scrolled). */
  moreLeft: boolean;
}

/**
 * Watches an `overflow-x: auto` element: whether its content is wider than it on either side,
 * as it resizes, scrolls, or its content changes. `contentKey` should change with the content.
 */
export function useSideOverflow(contentKey: unknown): SideOverflow {
  const [element, setElement] = useState<HTMLElement | null>(null);
  const [state, setState] = useState({ moreRight: false, moreLeft: false });
  useEffect(() => {
    if (!element) return;
    const measure = (): void => {
      const moreLeft = element.scrollLeft > 1;
      const moreRight = element.scrollLeft + element.clientWidth < element.scrollWidth - 1;
      setState((s) =>
        s.moreLeft === moreLeft && s.moreRight === moreRight ? s : { moreLeft, moreRight },
      );
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    if (element.firstElementChild) observer.observe(element.firstElementChild);
    element.addEventListener('scroll', measure, { passive: true });
    return () => {
      observer.disconnect();
      element.removeEventListener('scroll', measure);
    };
  }, [element, contentKey]);
  return { ref: setElement, ...state };
}
