import { Button, Layout, Menu, Space, Typography } from 'antd';
import { Link, Navigate, Route, Routes } from 'react-router';
import { api, type Me } from '../api';
import { useLabel, useWords } from '../labels';
import { Assignments } from './Assignments';
import { ReviewPage } from './ReviewPage';
import { useExpertWords } from './words';

/** The expert's workspace: my assignments, and one application at a time in its blind view. */
export default function ExpertApp({
  me,
  onSignedOut,
  toggleLocale,
}: {
  me: Me;
  onSignedOut: () => void;
  toggleLocale: () => void;
}) {
  const w = useWords();
  const x = useExpertWords();
  const t = useLabel();

  async function signOut() {
    await api.POST('/v1/auth/sign-out' as never, {} as never);
    onSignedOut();
  }

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider breakpoint="lg" collapsedWidth={0} theme="light">
        <div style={{ padding: 16, fontWeight: 600, fontSize: 16 }}>企业培育库 · 专家评审</div>
        <nav aria-label="主菜单">
          <Menu
            mode="inline"
            selectedKeys={['/']}
            items={[{ key: '/', label: <Link to="/">{x('assignments')}</Link> }]}
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
              <Route path="/" element={<Assignments />} />
              <Route path="/applications/:id" element={<ReviewPage />} />
              <Route path="*" element={<Navigate to="/" replace />} />
            </Routes>
          </main>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
