import { Card, Empty, Input, Table } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../api';
import { type RoundListItem, useLabel } from '../labels';
import type { components } from '../schema';
import { useAuditorWords } from './words';

type Row = components['schemas']['RoundApplicationRowDto'] & { roundTitle: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CREDIT_CODE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;
const H2 = { fontSize: 14, margin: 0 } as const;

/** Every round (auditors see all), in pages of the api's rounds list. */
async function allRounds(): Promise<RoundListItem[]> {
  const out: RoundListItem[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 20; page++) {
    const res = await api.GET('/v1/rounds', {
      params: { query: { limit: 100, ...(cursor ? { cursor } : {}) } },
    });
    if (!res.data) break;
    out.push(...res.data.items);
    if (!res.data.next) break;
    cursor = res.data.next;
  }
  return out;
}

/**
 * Search any enterprise, application or round: a credit code opens the enterprise, an id the
 * application or round it names; words search round titles and enterprise names in every round.
 */
export function Search() {
  const a = useAuditorWords();
  const t = useLabel();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [rounds, setRounds] = useState<RoundListItem[]>();
  const [rows, setRows] = useState<Row[]>();
  const [missing, setMissing] = useState(false);

  useEffect(() => void allRounds().then(setRounds), []);

  useEffect(() => {
    const text = q.trim();
    setMissing(false);
    setRows(undefined);
    if (!text || !rounds) return;
    void (async () => {
      if (CREDIT_CODE.test(text.toUpperCase())) {
        navigate(`/audit/enterprises/${text.toUpperCase()}`);
        return;
      }
      if (UUID.test(text)) {
        const app = await api.GET('/v1/applications/{id}', { params: { path: { id: text } } });
        if (app.response.ok) return navigate(`/applications/${text}`);
        if (rounds.some((r) => r.id === text)) return navigate(`/rounds/${text}`);
        setMissing(true);
        return;
      }
      const found: Row[] = [];
      await Promise.all(
        rounds.map(async (r) => {
          const res = await api.GET('/v1/rounds/{id}/applications', {
            params: { path: { id: r.id }, query: { q: text, limit: 50 } },
          });
          for (const item of res.data?.items ?? []) found.push({ ...item, roundTitle: r.title });
        }),
      );
      setRows(found);
    })();
  }, [q, rounds, navigate]);

  const text = q.trim();
  const matchingRounds = (rounds ?? []).filter(
    (r) => !text || r.title.includes(text) || t('programmes', r.programme).includes(text),
  );

  return (
    <>
      <h1 style={{ fontSize: 20 }}>{a('search')}</h1>
      <Input.Search
        aria-label={a('searchHint')}
        placeholder={a('searchHint')}
        defaultValue={q}
        enterButton={a('searchButton')}
        allowClear
        style={{ maxWidth: 640, marginBottom: 16 }}
        onSearch={(value) => setParams(value.trim() ? { q: value.trim() } : {})}
      />
      {missing && <Empty description={a('notFound')} />}
      {text && rows && (
        <Card size="small" title={<h2 style={H2}>{a('applications')}</h2>} style={{ marginBottom: 16 }}>
          <Table<Row>
            size="small"
            rowKey="applicationId"
            dataSource={rows}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            columns={[
              {
                title: a('enterpriseName'),
                render: (_, r) => (
                  <Link to={`/applications/${r.applicationId}`}>{r.name ?? r.creditCode}</Link>
                ),
              },
              {
                title: a('creditCode'),
                render: (_, r) => <Link to={`/audit/enterprises/${r.creditCode}`}>{r.creditCode}</Link>,
              },
              { title: a('round'), dataIndex: 'roundTitle' },
              { title: a('status'), render: (_, r) => t('applicationStatuses', r.status) },
            ]}
          />
        </Card>
      )}
      <Card
        size="small"
        title={<h2 style={H2}>{text ? a('rounds') : a('recentRounds')}</h2>}
        style={{ marginBottom: 16 }}
      >
        <Table<RoundListItem>
          size="small"
          rowKey="id"
          loading={rounds === undefined}
          dataSource={matchingRounds}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          columns={[
            { title: a('title'), render: (_, r) => <Link to={`/rounds/${r.id}`}>{r.title}</Link> },
            { title: a('programme'), render: (_, r) => t('programmes', r.programme) },
            { title: a('year'), dataIndex: 'year' },
            { title: a('status'), render: (_, r) => t('roundStatuses', r.status) },
          ]}
        />
      </Card>
    </>
  );
}
