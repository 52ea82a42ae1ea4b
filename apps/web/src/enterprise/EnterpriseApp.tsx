import { Spin } from 'antd';
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { api } from '../api';
import { type RoleAppProps, Workspace } from '../Workspace';
import { type Enterprise, Home, type OpenRound } from './Home';
import { usePortalWords } from './words';

// Only the home screen is in the portal's first chunk. An application (its data form, materials
// upload, timeline) and the memberships load when first opened: eagerly imported they put the
// enterprise's landing page at 431 KB of JS gzipped, over the 400 KB target (docs/console.md).
const ApplicationPage = lazy(() => import('./ApplicationPage').then((m) => ({ default: m.ApplicationPage })));
const Memberships = lazy(() => import('./Memberships').then((m) => ({ default: m.Memberships })));
const Publicity = lazy(() => import('../public/Publicity'));

/** The enterprise's portal: my applications, the rounds open to me, an application with its materials. */
export default function EnterpriseApp(props: RoleAppProps) {
  const { me } = props;
  const w = usePortalWords();
  const location = useLocation();
  const [enterprise, setEnterprise] = useState<Enterprise | null>();
  const [rounds, setRounds] = useState<OpenRound[]>([]);

  const load = useCallback(async () => {
    const res = await api.GET('/v1/enterprises/{creditCode}', { params: { path: { creditCode: me.org! } } });
    const found = res.response.ok ? (res.data as unknown as Enterprise) : null;
    setEnterprise(found);
    if (found) {
      const open = await api.GET('/v1/public/rounds', {
        params: { query: { status: 'open', for: found.jurisdiction } },
      });
      setRounds(open.data?.items ?? []);
    }
  }, [me.org]);
  // Reloaded on every navigation, so "my applications" shows a status changed elsewhere.
  useEffect(() => void load(), [load, location.pathname]);

  // The public publicity pages, as anyone sees them (with a way back to the portal).
  if (location.pathname === '/publicity' || location.pathname.startsWith('/publicity/'))
    return (
      <Suspense fallback={<Spin fullscreen />}>
        <Publicity signedIn />
      </Suspense>
    );

  return (
    <Workspace
      {...props}
      heading={w('portal')}
      scope={me.org}
      menu={[
        { path: '/', label: w('myApplications') },
        { path: '/memberships', label: w('memberships') },
        { path: '/publicity', label: w('publicityTitle') },
      ]}
      selected={
        location.pathname === '/memberships'
          ? '/memberships'
          : location.pathname.startsWith('/applications') || location.pathname === '/'
            ? '/'
            : ''
      }
    >
      {enterprise === undefined ? (
        <Spin />
      ) : (
        <Routes>
          <Route
            path="/"
            element={<Home me={me} enterprise={enterprise} rounds={rounds} onRegistered={load} />}
          />
          <Route
            path="/applications/:id"
            element={enterprise ? <ApplicationPage me={me} rounds={rounds} /> : <Navigate to="/" replace />}
          />
          <Route
            path="/memberships"
            element={
              enterprise ? (
                <Memberships enterprise={enterprise} onFiled={load} />
              ) : (
                <Navigate to="/" replace />
              )
            }
          />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      )}
    </Workspace>
  );
}
