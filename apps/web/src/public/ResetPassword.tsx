import { Alert, App, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { api, refusalOf } from '../api';
import { useWords } from '../labels';

/** The token of the emailed link: `/reset-password#token=…` (a fragment: never sent to a server's logs). */
function tokenOf(hash: string): string | undefined {
  return new URLSearchParams(hash.replace(/^#/, '')).get('token') ?? undefined;
}

/**
 * Password reset (docs/security.md): without a token, asks for a link by login
 * (POST /v1/auth/password-reset, the same answer whether or not the login exists); with the
 * link's token, sets the new password (POST /v1/auth/password-reset/confirm, once).
 */
export default function ResetPassword() {
  const w = useWords();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const token = tokenOf(useLocation().hash);
  const [form] = Form.useForm<{ password: string; passwordAgain: string }>();
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);

  async function ask(values: { login: string }) {
    setBusy(true);
    setError(null);
    try {
      const res = await api.POST('/v1/auth/password-reset', { body: { login: values.login.trim() } });
      if (!res.response.ok) setError(refusalOf(res).message);
      else setSent(true);
    } finally {
      setBusy(false);
    }
  }

  async function confirm(values: { password: string }) {
    setBusy(true);
    setError(null);
    try {
      const res = await api.POST('/v1/auth/password-reset/confirm', {
        body: { token: token!, password: values.password },
      });
      if (!res.response.ok) {
        const refused = refusalOf(res);
        const field = refused.details.find((d) => d.field === 'password');
        if (field) form.setFields([{ name: 'password', errors: [field.message] }]);
        setError(refused.message);
        return;
      }
      void message.success(w('resetDone'));
      navigate('/sign-in', { replace: true });
    } finally {
      setBusy(false);
    }
  }

  return (
    <main style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f0f2f5' }}>
      <Card style={{ width: 380, maxWidth: '100%' }}>
        <Typography.Title level={1} style={{ fontSize: 24, textAlign: 'center' }}>
          {w('resetTitle')}
        </Typography.Title>
        {error && <Alert type="error" title={error} style={{ marginBottom: 16 }} />}
        {token ? (
          <Form form={form} layout="vertical" onFinish={confirm} requiredMark={false}>
            <Form.Item label={w('newPassword')} name="password" rules={[{ required: true }, { min: 10 }]}>
              <Input.Password autoComplete="new-password" />
            </Form.Item>
            <Form.Item
              label={w('passwordAgain')}
              name="passwordAgain"
              dependencies={['password']}
              rules={[
                { required: true },
                ({ getFieldValue }) => ({
                  validator: async (_rule, value: string) => {
                    if (value && value !== getFieldValue('password')) throw new Error(w('passwordsDiffer'));
                  },
                }),
              ]}
            >
              <Input.Password autoComplete="new-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy}>
              {w('resetSet')}
            </Button>
          </Form>
        ) : sent ? (
          <Alert type="success" title={w('resetSent')} />
        ) : (
          <Form layout="vertical" onFinish={ask} requiredMark={false}>
            <Form.Item label={w('login')} name="login" rules={[{ required: true }]}>
              <Input autoComplete="username" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy}>
              {w('resetAsk')}
            </Button>
          </Form>
        )}
        <p style={{ marginTop: 16, marginBottom: 0 }}>
          <Link to="/sign-in">{w('backToSignIn')}</Link>
        </p>
      </Card>
    </main>
  );
}
