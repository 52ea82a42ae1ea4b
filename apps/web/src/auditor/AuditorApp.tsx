import { Navigate, Route, Routes, useLocation } from 'react-router';
import { type RoleAppProps, Workspace } from '../Workspace';
import { ApplicationAudit } from './ApplicationAudit';
import { EnterpriseAudit } from './EnterpriseAudit';
import { RoundAudit } from './RoundAudit';
import { Search } from './Search';
import { Verify } from './Verify';
import { useAuditorWords } from './words';

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
