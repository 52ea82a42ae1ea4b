import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { Me } from './api';
import { App, preloadPage } from './App';
import { bootMe } from './preloaded';

// The layout fills the window: no browser-default 8px frame around the grey background (set
// here, not as an inline style attribute, which the CSP would refuse).
document.body.style.margin = '0';

const render = (me?: Me | null) =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App initialMe={me} />
    </StrictMode>,
  );

// boot.ts has usually learnt who is signed in while this bundle was parsed, and fetched the
// role's and the page's chunks: the app renders once they have run, knowing the role, in one
// pass (no Suspense fallback, which React keeps on screen for at least 300 ms).
const me = bootMe();
if (me)
  void me.then(async (person) => {
    if (person) await preloadPage(person.role, location.pathname).catch(() => undefined);
    render(person as Me | null);
  });
else render();
