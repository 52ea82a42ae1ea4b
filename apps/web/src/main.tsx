import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';

// The layout fills the window: no browser-default 8px frame around the grey background (set
// here, not as an inline style attribute, which the CSP would refuse).
document.body.style.margin = '0';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
