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

// boot.ts has usually learnt who is signed in while this bundle was parsed: the role's chunks
// and the page's own chunk are fetched now, together, and the app renders knowing the role.
const me = bootMe();
if (me)
  void me.then((person) => {
    if (person) preloadPage(person.role, location.pathname);
    render(person as Me | null);
  });
else render();
