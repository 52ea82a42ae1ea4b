import { Button, Layout, Menu, Space, Typography } from 'antd';
import { Link, Navigate, Route, Routes, useLocation } from 'react-router';
import { api, type Me } from '../api';
import { useLabel, useWords } from '../labels';
import { ApplicationAudit } from './ApplicationAudit';
import { EnterpriseAudit } from './EnterpriseAudit';
import { RoundAudit } from './RoundAudit';
import { Search } from './Search';
import { Verify } from './Verify';
import { useAuditorWords } from './words';

/** The auditor's workspace: search anything, read every event, replay, verify. Read-only. */
export default function AuditorApp({
  me,
  onSignedOut,
  toggleLocale,
}: {
  me: Me;
  onSignedOut: () => void;
  toggleLocale: () => void;
}) {
  const w = useWords();
  const a = useAuditorWords();
  const t = useLabel();
  const location = useLocation();
  const selected = location.pathname.startsWith('/audit/verify') ? '/audit/verify' : '/';

  async function signOut() {
    await api.POST('/v1/auth/sign-out' as never, {} as never);
    onSignedOut();
  }

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider breakpoint="lg" collapsedWidth={0} theme="light">
        <div style={{ padding: 16, fontWeight: 600, fontSize: 16 }}>企业培育库 · 审计</div>
        <nav aria-label="主菜单">
          <Menu
            mode="inline"
            selectedKeys={[selected]}
            items={[
              { key: '/', label: <Link to="/">{a('search')}</Link> },
              { key: '/audit/verify', label: <Link to="/audit/verify">{a('verify')}</Link> },
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
              {me.name}（{t('roles', me.role)}）
            </Typography.Text>
            <Button type="link" onClick={toggleLocale}>
              {w('language')}
            </Button>
            <Button onClick={signOut}>{w('signOut')}</Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          <main>
            <Routes>
              <Route path="/" element={<Search />} />
              <Route path="/applications/:id" element={<ApplicationAudit />} />
              <Route path="/rounds/:id" element={<RoundAudit />} />
              <Route path="/audit/enterprises/:code" element={<EnterpriseAudit />} />
              <Route path="/audit/verify" element={<Verify />} />
              <Route path="*" element={<Navigate to="/" replace />} />
            </Routes>
          </main>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
