import { Alert, App, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
// The same GB 32100 check the api applies (one implementation: a pure module without imports).
import { normalizeCreditCode, validateCreditCode } from '../../../../libs/platform/src/identity/credit-code';
import { api, refusalOf } from '../api';
import { usePortalWords } from '../enterprise/words';

interface Values {
  creditCode: string;
  companyName: string;
  contactPerson: string;
  mobile: string;
  email: string;
  password: string;
  passwordAgain: string;
}

/** An enterprise registers its own account (POST /v1/auth/register), then signs in with its credit code. */
export default function Register() {
  const w = usePortalWords();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(values: Values) {
    setBusy(true);
    setError(null);
    try {
      const { passwordAgain: _again, ...body } = values;
      const res = await api.POST('/v1/auth/register', {
        body: { ...body, creditCode: normalizeCreditCode(body.creditCode) },
      });
      if (!res.response.ok) {
        const refused = refusalOf(res);
        const fields = refused.details.filter((d) => d.field in values);
        if (fields.length)
          form.setFields(fields.map((d) => ({ name: d.field as keyof Values, errors: [d.message] })));
        setError(refused.message);
        return;
      }
      void message.success(w('registered'));
      navigate('/sign-in', { replace: true });
    } finally {
      setBusy(false);
    }
  }

  return (
    <main
      style={{
        minHeight: '100vh',
        display: 'grid',
        placeItems: 'center',
        background: '#f0f2f5',
        padding: 24,
      }}
    >
      <Card style={{ width: 480, maxWidth: '100%' }}>
        <Typography.Title level={1} style={{ fontSize: 24, textAlign: 'center' }}>
          {w('register')}
        </Typography.Title>
        {error && <Alert type="error" title={error} style={{ marginBottom: 16 }} />}
        <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item
            label={w('creditCode')}
            name="creditCode"
            validateFirst
            rules={[
              { required: true },
              {
                validator: async (_rule, value: string) => {
                  const result = validateCreditCode(normalizeCreditCode(value ?? ''));
                  if (!result.valid) throw new Error(w('badCreditCode', { problem: result.messageZh }));
                },
              },
            ]}
          >
            <Input autoComplete="username" maxLength={18} placeholder="91320214MA1XK0001X" />
          </Form.Item>
          <Form.Item
            label={w('companyName')}
            name="companyName"
            rules={[{ required: true, whitespace: true, max: 200 }]}
          >
            <Input autoComplete="organization" />
          </Form.Item>
          <Form.Item
            label={w('contactPerson')}
            name="contactPerson"
            rules={[{ required: true, whitespace: true, max: 100 }]}
          >
            <Input autoComplete="name" />
          </Form.Item>
          <Form.Item
            label={w('mobile')}
            name="mobile"
            rules={[{ required: true }, { pattern: /^(\+?86)?1\d{10}$/, message: w('badMobile') }]}
          >
            <Input autoComplete="tel" inputMode="tel" />
          </Form.Item>
          <Form.Item
            label={w('email')}
            name="email"
            rules={[{ required: true }, { type: 'email', message: w('badEmail') }]}
          >
            <Input autoComplete="email" />
          </Form.Item>
          <Form.Item
            label={w('password')}
            name="password"
            extra={w('passwordHelp')}
            rules={[{ required: true }, { min: 10, max: 256 }]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            label={w('passwordAgain')}
            name="passwordAgain"
            dependencies={['password']}
            rules={[
              { required: true },
              ({ getFieldValue }) => ({
                validator: async (_rule, value) => {
                  if (value && value !== getFieldValue('password')) throw new Error(w('passwordsDiffer'));
                },
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            {w('register')}
          </Button>
        </Form>
        <p style={{ textAlign: 'center', marginTop: 16, marginBottom: 0 }}>
          <Link to="/sign-in">{w('haveAccount')}</Link>
        </p>
      </Card>
    </main>
  );
}
