import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from './api';
import { useWords } from './labels';

export function SignIn({ onSignedIn }: { onSignedIn: () => Promise<void> }) {
  const w = useWords();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(values: { login: string; password: string }) {
    setBusy(true);
    setError(null);
    try {
      const res = await api.POST('/v1/auth/sign-in', { body: values as never });
      if (!res.response.ok) {
        setError((res.error as { message?: string } | undefined)?.message ?? w('badLogin'));
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
        {error && <Alert type="error" title={error} style={{ marginBottom: 16 }} />}
        <Form layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item label={w('login')} name="login" rules={[{ required: true }]}>
            <Input autoComplete="username" />
          </Form.Item>
          <Form.Item label={w('password')} name="password" rules={[{ required: true }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            {w('signIn')}
          </Button>
        </Form>
        <p style={{ display: 'flex', justifyContent: 'space-between', marginTop: 16, marginBottom: 0 }}>
          <Link to="/register">没有账号？企业注册</Link>
          <Link to="/publicity">入库名单公示</Link>
        </p>
      </Card>
    </main>
  );
}
