import { Button, Layout, Menu, Space, Spin, Typography } from 'antd';
import { type ReactNode, Suspense } from 'react';
import { Link } from 'react-router';
import { api, type Me } from './api';
import { useLabel, useWords } from './labels';

/** What App.tsx hands every role's workspace. */
export interface RoleAppProps {
  me: Me;
  onSignedOut: () => void;
  toggleLocale: () => void;
}

/**
 * The frame every signed-in role works in (Ant Design Pro's admin layout): the product's name
 * and the role's menu on the left; who is signed in, the language switch and sign-out on top;
 * the role's screens below, each possibly loaded on first use.
 */
export function Workspace({
  me,
  onSignedOut,
  toggleLocale,
  heading = '企业培育库',
  scope,
  menu,
  selected,
  children,
}: RoleAppProps & {
  /** The menu's head: the product's name, or the role's own workspace name. */
  heading?: string;
  /** After the role in the header: the officer's jurisdiction, the enterprise's credit code. */
  scope?: string;
  menu: { path: string; label: string }[];
  selected: string;
  children: ReactNode;
}) {
  const w = useWords();
  const t = useLabel();

  async function signOut() {
    await api.POST('/v1/auth/sign-out' as never, {} as never);
    onSignedOut();
  }

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider breakpoint="lg" collapsedWidth={0} theme="light">
        <div style={{ padding: 16, fontWeight: 600, fontSize: 16 }}>{heading}</div>
        <nav aria-label="主菜单">
          <Menu
            mode="inline"
            selectedKeys={[selected]}
            items={menu.map((item) => ({ key: item.path, label: <Link to={item.path}>{item.label}</Link> }))}
          />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{ background: '#fff', display: 'flex', justifyContent: 'flex-end', alignItems: 'center' }}
        >
          <Space>
            <Typography.Text>
              {me.name}（{t('roles', me.role)}
              {scope ? ` · ${scope}` : ''}）
            </Typography.Text>
            <Button type="link" onClick={toggleLocale}>
              {w('language')}
            </Button>
            <Button onClick={signOut}>{w('signOut')}</Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          <main>
            <Suspense fallback={<Spin />}>{children}</Suspense>
          </main>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
