import { Button, Layout, Menu, Space, Spin, Typography } from 'antd';
import { lazy, Suspense } from 'react';
import { Link, Navigate, Route, Routes, useLocation } from 'react-router';
import { api, type Me } from '../api';
import { useLabel, useWords } from '../labels';
import { jurisdictionFullName } from './jurisdictions';
import { Home } from './Home';

// Only the home screen (the worklist) is in the officer's first chunk; every other screen, with
// the heavier components it alone uses (date pickers, forms, tabs, descriptions), loads when
// first opened.
const Rounds = lazy(() => import('./Rounds').then((m) => ({ default: m.Rounds })));
const RoundPage = lazy(() => import('./RoundPage').then((m) => ({ default: m.RoundPage })));
const ApplicationPage = lazy(() => import('./ApplicationPage').then((m) => ({ default: m.ApplicationPage })));
const Memberships = lazy(() => import('./Memberships').then((m) => ({ default: m.Memberships })));

/** The officers' workspace: a side menu and the screens behind it (Ant Design Pro's admin layout). */
export default function OfficerApp({
  me,
  onSignedOut,
  toggleLocale,
}: {
  me: Me;
  onSignedOut: () => void;
  toggleLocale: () => void;
}) {
  const w = useWords();
  const t = useLabel();
  const location = useLocation();
  const selected = '/' + (location.pathname.split('/')[1] ?? '');

  async function signOut() {
    await api.POST('/v1/auth/sign-out' as never, {} as never);
    onSignedOut();
  }

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider breakpoint="lg" collapsedWidth={0} theme="light">
        <div style={{ padding: 16, fontWeight: 600, fontSize: 16 }}>企业培育库</div>
        <nav aria-label="主菜单">
          <Menu
            mode="inline"
            selectedKeys={[selected === '/applications' ? '/rounds' : selected]}
            items={[
              { key: '/', label: <Link to="/">{w('home')}</Link> },
              { key: '/rounds', label: <Link to="/rounds">{w('rounds')}</Link> },
              { key: '/memberships', label: <Link to="/memberships">{w('memberships')}</Link> },
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
              {me.name}（{t('roles', me.role)} · {jurisdictionFullName(me.jurisdiction)}）
            </Typography.Text>
            <Button type="link" onClick={toggleLocale}>
              {w('language')}
            </Button>
            <Button onClick={signOut}>{w('signOut')}</Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          <main>
            <Suspense fallback={<Spin />}>
              <Routes>
                <Route path="/" element={<Home me={me} />} />
                <Route path="/rounds" element={<Rounds me={me} />} />
                <Route path="/rounds/:id" element={<RoundPage />} />
                <Route path="/applications/:id" element={<ApplicationPage me={me} />} />
                <Route path="/memberships" element={<Memberships />} />
                <Route path="*" element={<Navigate to="/" replace />} />
              </Routes>
            </Suspense>
          </main>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
