import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from './api';
import { useWords } from './labels';

export function SignIn({ onSignedIn }: { onSignedIn: () => Promise<void> }) {
  const w = useWords();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Asked for once the api says the account has a second factor (TOTP_REQUIRED).
  const [needTotp, setNeedTotp] = useState(false);
  // Single sign-on (OIDC_ISSUER): its button only when the api has it.
  const [sso, setSso] = useState<string | null>(null);
  // A refused single sign-on comes back as /sign-in?sso_error=no-role: the api says it in words.
  const [ssoError, setSsoError] = useState<string | null>(null);
  const refused = useSearchParams()[0].get('sso_error');
  useEffect(() => {
    const query = refused ? { params: { query: { sso_error: refused as never } } } : {};
    void api.GET('/v1/auth/oidc', query).then((res) => {
      const data = (res as { data?: { enabled?: boolean; loginUrl?: string; error?: { message?: string } } })
        .data;
      if (data?.enabled && data.loginUrl) setSso(`${data.loginUrl}?returnTo=/`);
      if (refused) setSsoError(data?.error?.message ?? w('ssoRefused'));
    });
  }, [refused]);

  async function submit(values: { login: string; password: string; totp?: string }) {
    setBusy(true);
    setError(null);
    try {
      const body = {
        login: values.login,
        password: values.password,
        ...(values.totp ? { totp: values.totp.trim() } : {}),
      };
      const res = await api.POST('/v1/auth/sign-in', { body: body as never });
      if (!res.response.ok) {
        const e = res.error as { code?: string; message?: string } | undefined;
        if (e?.code === 'TOTP_REQUIRED' || e?.code === 'TOTP_INVALID') setNeedTotp(true);
        setError(e?.message ?? w('badLogin'));
        return;
      }
      await onSignedIn();
      navigate('/', { replace: true });
    } finally {
      setBusy(false);
    }
  }

  return (
    <main style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f0f2f5' }}>
      <Card style={{ width: 380 }}>
        <Typography.Title level={1} style={{ fontSize: 24, textAlign: 'center' }}>
          企业培育库
        </Typography.Title>
        {ssoError && !error && <Alert type="error" title={ssoError} style={{ marginBottom: 16 }} />}
        {error && <Alert type="error" title={error} style={{ marginBottom: 16 }} />}
        <Form layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item label={w('login')} name="login" rules={[{ required: true }]}>
            <Input autoComplete="username" />
          </Form.Item>
          <Form.Item label={w('password')} name="password" rules={[{ required: true }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          {needTotp && (
            <Form.Item label={w('totpCode')} name="totp" rules={[{ required: true }]}>
              <Input autoComplete="one-time-code" inputMode="numeric" autoFocus />
            </Form.Item>
          )}
          <Button type="primary" htmlType="submit" block loading={busy}>
            {w('signIn')}
          </Button>
        </Form>
        {sso && (
          <Button href={sso} block style={{ marginTop: 12 }}>
            {w('ssoSignIn')}
          </Button>
        )}
        <p style={{ textAlign: 'right', marginTop: 8, marginBottom: 0 }}>
          <Link to="/reset-password">{w('forgotPassword')}</Link>
        </p>
        <p style={{ display: 'flex', justifyContent: 'space-between', marginTop: 16, marginBottom: 0 }}>
          <Link to="/register">没有账号？企业注册</Link>
          <Link to="/publicity">入库名单公示</Link>
        </p>
      </Card>
    </main>
  );
}
