import { lazy } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { useWords } from '../labels';
import { preloadable } from '../preloadable';
import { type RoleAppProps, Workspace } from '../Workspace';
import { jurisdictionFullName } from './jurisdictions';
import { Home } from './Home';

// Only the home screen (the worklist) is in the officer's first chunk; every other screen, with
// the heavier components it alone uses (date pickers, forms, tabs, descriptions), loads when
// first opened.
const Rounds = lazy(() => import('./Rounds').then((m) => ({ default: m.Rounds })));
const RoundPage = preloadable(() => import('./RoundPage').then((m) => ({ default: m.RoundPage })));

/** Loads the screen at `path` when it is lazy (the round page), before the first render (App.tsx). */
export async function preloadScreen(path: string): Promise<void> {
  if (/^\/rounds\/[^/]+$/.test(path)) await RoundPage.preload();
}
const ApplicationPage = lazy(() => import('./ApplicationPage').then((m) => ({ default: m.ApplicationPage })));
const Memberships = lazy(() => import('./Memberships').then((m) => ({ default: m.Memberships })));
const Statistics = lazy(() => import('./Statistics').then((m) => ({ default: m.Statistics })));

/** The officers' workspace: the worklist, rounds, applications, memberships and statistics. */
export default function OfficerApp(props: RoleAppProps) {
  const { me } = props;
  const w = useWords();
  const location = useLocation();
  const selected = '/' + (location.pathname.split('/')[1] ?? '');
  return (
    <Workspace
      {...props}
      scope={jurisdictionFullName(me.jurisdiction)}
      menu={[
        { path: '/', label: w('home') },
        { path: '/rounds', label: w('rounds') },
        { path: '/memberships', label: w('memberships') },
        { path: '/statistics', label: w('statistics') },
      ]}
      selected={selected === '/applications' ? '/rounds' : selected}
    >
      <Routes>
        <Route path="/" element={<Home me={me} />} />
        <Route path="/rounds" element={<Rounds me={me} />} />
        <Route path="/rounds/:id" element={<RoundPage />} />
        <Route path="/applications/:id" element={<ApplicationPage me={me} />} />
        <Route path="/memberships" element={<Memberships />} />
        <Route path="/statistics" element={<Statistics />} />
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </Workspace>
  );
}
