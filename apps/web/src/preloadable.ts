import { type ComponentType, lazy, type LazyExoticComponent } from 'react';

/**
 * React.lazy that does not suspend once its module is loaded: `preload()` fetches and runs the
 * module (once). A lazy component suspends on its first render even when its module is already
 * there, and React then keeps the Suspense fallback on screen for at least 300 ms (its throttle
 * against flicker). main.tsx preloads the page's modules before the first render, so the page
 * renders at once, in one pass.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as React.lazy's own signature
export function preloadable<T extends ComponentType<any>>(
  load: () => Promise<{ default: T }>,
): LazyExoticComponent<T> & { preload: () => Promise<unknown> } {
  let loaded: { default: T } | undefined;
  let loading: Promise<{ default: T }> | undefined;
  const preload = () =>
    (loading ??= load().then((module) => {
      loaded = module;
      return module;
    }));
  // Once loaded, a thenable that answers at once: React then renders without suspending.
  const Component = lazy(() =>
    loaded
      ? ({ then: (resolve: (module: { default: T }) => void) => resolve(loaded!) } as Promise<{ default: T }>)
      : preload(),
  );
  return Object.assign(Component, { preload });
}
