import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { api, type Me } from './api';
import { useWords } from './labels';

/**
 * Second-factor enrolment for a role that must have one (AUTH_TOTP_REQUIRED_ROLES;
 * docs/security.md): the api refuses everything else to this session until it is done. Shows
 * the QR code of POST /v1/auth/totp/enrol, confirms a code (POST /v1/auth/totp/confirm) and
 * shows the ten recovery codes once.
 */
export function TotpEnrolment({
  me,
  onEnrolled,
  onSignedOut,
}: {
  me: Me;
  onEnrolled: () => Promise<void>;
  onSignedOut: () => void;
}) {
  const w = useWords();
  const [enrolment, setEnrolment] = useState<{ secret: string; qr: string } | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // Once: a second enrolment would replace the secret the QR code on screen shows.
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void api.POST('/v1/auth/totp/enrol' as never, {} as never).then((res) => {
      const r = res as { data?: { secret: string; qr: string }; error?: { message?: string } };
      if (r.data) setEnrolment(r.data);
      else setError(r.error?.message ?? '');
    });
  }, []);

  async function confirm(values: { code: string }) {
    setBusy(true);
    setError(null);
    try {
      const res = (await api.POST(
        '/v1/auth/totp/confirm' as never,
        {
          body: { code: values.code.trim() },
        } as never,
      )) as { data?: { recoveryCodes: string[] }; error?: { message?: string } };
      if (res.data) setCodes(res.data.recoveryCodes);
      else setError(res.error?.message ?? '');
    } finally {
      setBusy(false);
    }
  }

  async function signOut() {
    await api.POST('/v1/auth/sign-out' as never, {} as never);
    onSignedOut();
  }

  return (
    <main style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f0f2f5' }}>
      <Card style={{ width: 440, maxWidth: '100%' }}>
        <Typography.Title level={1} style={{ fontSize: 24, textAlign: 'center' }}>
          {codes ? w('recoveryTitle') : w('enrolTitle')}
        </Typography.Title>
        {error && <Alert type="error" title={error} style={{ marginBottom: 16 }} />}
        {codes ? (
          <>
            <Typography.Paragraph>{w('recoveryHelp')}</Typography.Paragraph>
            <pre aria-label={w('recoveryTitle')} style={{ fontSize: 16, background: '#fafafa', padding: 12 }}>
              {codes.join('\n')}
            </pre>
            <Button type="primary" block onClick={() => void onEnrolled()}>
              {w('continue')}
            </Button>
          </>
        ) : (
          <>
            <Typography.Paragraph>
              {me.name}：{w('enrolHelp')}
            </Typography.Paragraph>
            {enrolment && (
              <div style={{ display: 'flex', flexDirection: 'column', alignItems: 'center', gap: 8 }}>
                <img src={enrolment.qr} alt={w('enrolTitle')} width={240} height={240} />
                <Typography.Text type="secondary">{w('enrolSecret')}</Typography.Text>
                <Typography.Text code copyable>
                  {enrolment.secret}
                </Typography.Text>
              </div>
            )}
            <Form layout="vertical" onFinish={confirm} requiredMark={false} style={{ marginTop: 16 }}>
              <Form.Item label={w('enrolCode')} name="code" rules={[{ required: true }]}>
                <Input autoComplete="one-time-code" inputMode="numeric" />
              </Form.Item>
              <Button type="primary" htmlType="submit" block loading={busy} disabled={!enrolment}>
                {w('enrolConfirm')}
              </Button>
            </Form>
          </>
        )}
        <p style={{ marginTop: 16, marginBottom: 0 }}>
          <Button type="link" onClick={() => void signOut()} style={{ padding: 0 }}>
            {w('signOut')}
          </Button>
        </p>
      </Card>
    </main>
  );
}
