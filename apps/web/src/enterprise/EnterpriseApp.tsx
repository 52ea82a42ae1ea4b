import { Button, Layout, Menu, Space, Spin, Typography } from 'antd';
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { Link, Navigate, Route, Routes, useLocation } from 'react-router';
import { api, type Me } from '../api';
import { useLabel } from '../labels';
import { ApplicationPage } from './ApplicationPage';
import { type Enterprise, Home, type OpenRound } from './Home';
import { usePortalWords } from './words';

const Publicity = lazy(() => import('../public/Publicity'));

/** The enterprise's portal: my applications, the rounds open to me, an application with its materials. */
export default function EnterpriseApp({
  me,
  onSignedOut,
  toggleLocale,
}: {
  me: Me;
  onSignedOut: () => void;
  toggleLocale: () => void;
}) {
  const w = usePortalWords();
  const t = useLabel();
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

  async function signOut() {
    await api.POST('/v1/auth/sign-out' as never, {} as never);
    onSignedOut();
  }

  // The public publicity pages, as anyone sees them (with a way back to the portal).
  if (location.pathname === '/publicity' || location.pathname.startsWith('/publicity/'))
    return (
      <Suspense fallback={<Spin fullscreen />}>
        <Publicity signedIn />
      </Suspense>
    );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider breakpoint="lg" collapsedWidth={0} theme="light">
        <div style={{ padding: 16, fontWeight: 600, fontSize: 16 }}>{w('portal')}</div>
        <nav aria-label="主菜单">
          <Menu
            mode="inline"
            selectedKeys={[
              location.pathname.startsWith('/applications') || location.pathname === '/' ? '/' : '',
            ]}
            items={[
              { key: '/', label: <Link to="/">{w('myApplications')}</Link> },
              { key: '/publicity', label: <Link to="/publicity">{w('publicityTitle')}</Link> },
            ]}
          />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{ background: '#fff', display: 'flex', justifyContent: 'flex-end', alignItems: 'center' }}
        >
          <Space>
            <Typography.Text>
              {me.name}（{t('roles', me.role)} · {me.org}）
            </Typography.Text>
            <Button type="link" onClick={toggleLocale}>
              {w('language')}
            </Button>
            <Button onClick={signOut}>{w('signOut')}</Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          <main>
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
                  element={
                    enterprise ? <ApplicationPage me={me} rounds={rounds} /> : <Navigate to="/" replace />
                  }
                />
                <Route path="*" element={<Navigate to="/" replace />} />
              </Routes>
            )}
          </main>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
