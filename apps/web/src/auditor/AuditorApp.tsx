import { lazy } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { type RoleAppProps, Workspace } from '../Workspace';
import { Search } from './Search';
import { useAuditorWords } from './words';

// Only the landing screen (search) is in the auditor's first chunk. The other screens load
// when first opened, with what they alone use: the date pickers of the as-of replay and the
// verification, the engine's panel-draw arithmetic, the timeline's modal, the descriptions.
// Eagerly imported they put the auditor's landing page at 410 KB of JS gzipped, over the
// 400 KB target (docs/console.md, `node scripts/initial-js.js`).
const ApplicationAudit = lazy(() =>
  import('./ApplicationAudit').then((m) => ({ default: m.ApplicationAudit })),
);
const RoundAudit = lazy(() => import('./RoundAudit').then((m) => ({ default: m.RoundAudit })));
const EnterpriseAudit = lazy(() => import('./EnterpriseAudit').then((m) => ({ default: m.EnterpriseAudit })));
const Verify = lazy(() => import('./Verify').then((m) => ({ default: m.Verify })));

/** The auditor's workspace: search anything, read every event, replay, verify. Read-only. */
export default function AuditorApp(props: RoleAppProps) {
  const a = useAuditorWords();
  const location = useLocation();
  return (
    <Workspace
      {...props}
      heading="企业培育库 · 审计"
      menu={[
        { path: '/', label: a('search') },
        { path: '/audit/verify', label: a('verify') },
      ]}
      selected={location.pathname.startsWith('/audit/verify') ? '/audit/verify' : '/'}
    >
      <Routes>
        <Route path="/" element={<Search />} />
        <Route path="/applications/:id" element={<ApplicationAudit />} />
        <Route path="/rounds/:id" element={<RoundAudit />} />
        <Route path="/audit/enterprises/:code" element={<EnterpriseAudit />} />
        <Route path="/audit/verify" element={<Verify />} />
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </Workspace>
  );
}
