import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Form,
  Input,
  Layout,
  List,
  Modal,
  Table,
  Typography,
  Upload,
  type UploadFile,
} from 'antd';
import { useContext, useEffect, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { api } from '../api';
import { usePortalWords } from '../enterprise/words';
import { LabelsContext } from '../labels';
import type { components } from '../schema';

type PublicRound = components['schemas']['PublicRoundDto'];
interface Entry {
  applicationId: string;
  creditCode: string;
  name: string | null;
  score?: string | number | null;
}

/**
 * The public publicity pages, without signing in: the rounds in publicity, a round's list
 * (name, credit code, programme, the period's last day) and the real-name objection form.
 */
export default function Publicity({ signedIn = false }: { signedIn?: boolean }) {
  const w = usePortalWords();
  // /publicity or /publicity/<round>: read from the path, so the page works wherever it is mounted.
  const id = useLocation().pathname.split('/')[2];
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ background: '#fff', display: 'flex', alignItems: 'center', gap: 16 }}>
        <Link to="/publicity" style={{ fontWeight: 600, fontSize: 16 }}>
          企业培育库 · {w('publicityTitle')}
        </Link>
        <span style={{ flex: 1 }} />
        {signedIn ? <Link to="/">{w('myApplications')}</Link> : <Link to="/sign-in">{w('signIn')}</Link>}
      </Layout.Header>
      <Layout.Content style={{ padding: 24, maxWidth: 1100, width: '100%', margin: '0 auto' }}>
        <main>{id ? <RoundList id={id} /> : <Rounds />}</main>
      </Layout.Content>
    </Layout>
  );
}

function usePublicRounds() {
  const [rounds, setRounds] = useState<PublicRound[]>();
  useEffect(() => {
    void api
      .GET('/v1/public/rounds', { params: { query: { status: 'in-publicity' } } })
      .then((res) => setRounds(res.data?.items ?? []));
  }, []);
  return rounds;
}

function useProgrammeLabel() {
  const { locale } = useContext(LabelsContext);
  return (round: PublicRound) => (locale === 'en' ? round.programmeLabel.en : round.programmeLabel.zh);
}

function Rounds() {
  const w = usePortalWords();
  const rounds = usePublicRounds();
  const programme = useProgrammeLabel();
  return (
    <>
      <h1 style={{ fontSize: 20 }}>{w('publicityTitle')}</h1>
      <Card>
        <List
          loading={!rounds}
          dataSource={rounds ?? []}
          locale={{ emptyText: <Empty description={w('noPublicity')} /> }}
          renderItem={(round) => (
            <List.Item>
              <List.Item.Meta
                title={<Link to={`/publicity/${round.id}`}>{round.title}</Link>}
                description={`${programme(round)} · ${w('publicityEnds')} ${round.publicity?.endsOn ?? ''}`}
              />
            </List.Item>
          )}
        />
      </Card>
    </>
  );
}

function RoundList({ id }: { id: string }) {
  const w = usePortalWords();
  const programme = useProgrammeLabel();
  const rounds = usePublicRounds();
  const round = rounds?.find((r) => r.id === id);
  const [entries, setEntries] = useState<Entry[]>();
  const [objecting, setObjecting] = useState<Entry>();
  useEffect(() => {
    void api
      .GET('/v1/rounds/{id}/list', { params: { path: { id }, query: {} } })
      .then((res) => setEntries(res.response.ok ? ((res.data as unknown as Entry[]) ?? []) : []));
  }, [id]);

  if (rounds && !round)
    return (
      <Alert
        type="info"
        title={w('noPublicity')}
        action={<Link to="/publicity">{w('publicityTitle')}</Link>}
      />
    );
  return (
    <>
      <h1 style={{ fontSize: 20 }}>{round?.title ?? ''}</h1>
      {round && (
        <Typography.Paragraph>
          {w('programme')}：{programme(round)}
          <span style={{ marginLeft: 24 }} />
          {w('publicityEnds')}：<strong>{round.publicity?.endsOn}</strong>
        </Typography.Paragraph>
      )}
      <Card>
        <Table<Entry>
          rowKey="applicationId"
          loading={!entries}
          dataSource={entries ?? []}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          columns={[
            { title: w('companyName'), dataIndex: 'name' },
            { title: w('creditCode'), dataIndex: 'creditCode' },
            { title: w('programme'), render: () => (round ? programme(round) : '') },
            { title: w('publicityEnds'), render: () => round?.publicity?.endsOn ?? '' },
            {
              title: w('object'),
              render: (_, entry) => (
                <Button size="small" onClick={() => setObjecting(entry)}>
                  {w('object')}
                </Button>
              ),
            },
          ]}
        />
      </Card>
      {objecting && <ObjectionDialog entry={objecting} onClose={() => setObjecting(undefined)} />}
    </>
  );
}

/** What the evidence upload answers (POST /v1/applications/:id/objections/evidence). */
type EvidenceFile = components['schemas']['EvidenceFileView'];

interface ObjectionValues {
  name: string;
  idNumber: string;
  phone: string;
  grounds: string;
  evidence?: string;
}

function ObjectionDialog({ entry, onClose }: { entry: Entry; onClose: () => void }) {
  const w = usePortalWords();
  const { message } = App.useApp();
  const [form] = Form.useForm<ObjectionValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  // Evidence files, each uploaded as soon as it is chosen; the objection names them by digest.
  const [files, setFiles] = useState<UploadFile<EvidenceFile>[]>([]);
  const uploaded = files.filter((f) => f.status === 'done' && f.response).map((f) => f.response!);

  async function send(values: ObjectionValues) {
    setBusy(true);
    setError(undefined);
    try {
      const res = await api.POST('/v1/applications/{id}/objections', {
        params: { path: { id: entry.applicationId } },
        body: {
          objector: { name: values.name, idNumber: values.idNumber.toUpperCase(), phone: values.phone },
          grounds: values.grounds,
          evidence: (values.evidence ?? '')
            .split('\n')
            .map((line) => line.trim())
            .filter(Boolean),
          evidenceFiles: uploaded.map((f) => ({ sha256: f.sha256, fileName: f.fileName })),
        },
      });
      if (!res.response.ok) {
        const e = res.error as { message?: string } | undefined;
        setError(e?.message ?? res.response.statusText);
        return;
      }
      void message.success(w('objectionFiled', { id: (res.data as unknown as { id: string }).id }));
      onClose();
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      open
      title={`${w('objectionTitle')}：${entry.name ?? entry.creditCode}`}
      okText={w('object')}
      cancelText={w('cancel')}
      confirmLoading={busy}
      onCancel={onClose}
      onOk={() => form.submit()}
    >
      <Alert type="info" title={w('objectionHelp')} style={{ marginBottom: 8 }} />
      {error && <Alert type="error" title={error} />}
      <Form form={form} layout="vertical" onFinish={send} style={{ marginTop: 12 }}>
        <Form.Item
          name="name"
          label={w('objectorName')}
          rules={[{ required: true, whitespace: true, max: 50 }]}
        >
          <Input autoComplete="name" />
        </Form.Item>
        <Form.Item
          name="idNumber"
          label={w('idNumber')}
          rules={[{ required: true }, { pattern: /^\d{17}[\dXx]$/, message: w('badIdNumber') }]}
        >
          <Input maxLength={18} />
        </Form.Item>
        <Form.Item name="phone" label={w('phone')} rules={[{ required: true }, { pattern: /^\+?\d{6,20}$/ }]}>
          <Input autoComplete="tel" inputMode="tel" />
        </Form.Item>
        <Form.Item
          name="grounds"
          label={w('grounds')}
          rules={[{ required: true, whitespace: true, min: 4, max: 5000 }]}
        >
          <Input.TextArea rows={3} />
        </Form.Item>
        <Form.Item
          name="evidence"
          label={w('evidence')}
          extra={w('evidenceHelp')}
          rules={[
            {
              validator: (_, value: string | undefined) =>
                value?.trim() || uploaded.length > 0
                  ? Promise.resolve()
                  : Promise.reject(new Error(w('evidenceNeeded'))),
            },
          ]}
        >
          <Input.TextArea rows={3} />
        </Form.Item>
        <Form.Item label={w('evidenceFiles')} extra={w('evidenceFilesHelp')}>
          <Upload<EvidenceFile>
            name="file"
            action={`/v1/applications/${entry.applicationId}/objections/evidence`}
            accept=".pdf,.ofd,.jpg,.jpeg,.png"
            multiple
            fileList={files}
            onChange={(info) => {
              setFiles(info.fileList.filter((f) => f.status !== 'error'));
              if (info.file.status === 'error') {
                const status = (info.file.error as { status?: number } | undefined)?.status ?? 0;
                const refusal =
                  status === 413
                    ? w('evidenceTooLarge')
                    : status === 415
                      ? w('evidenceWrongType')
                      : ((info.file.response as { message?: string } | undefined)?.message ??
                        w('evidenceFailed'));
                void message.error(`${info.file.name}：${refusal}`, 6);
              }
            }}
          >
            <Button>{w('chooseEvidence')}</Button>
          </Upload>
        </Form.Item>
      </Form>
    </Modal>
  );
}
