import { Descriptions, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../api';
import { useLabel } from '../labels';
import { ApplicationAsOf } from './AsOf';
import { Draws } from './Draws';
import { type AuditEvent, Timeline } from './Timeline';
import { useAuditorWords } from './words';

interface Application {
  id: string;
  programme: string;
  roundId: string;
  creditCode: string;
  status: string;
  revision: number;
  policyVersion: string;
  score?: string;
}

const STATUS = { color: '#003a8c', background: '#e6f4ff', borderColor: '#91caff' };

/** An application for the auditor: its facts, every event, as-of comparison and its expert draws. */
export function ApplicationAudit() {
  const { id } = useParams() as { id: string };
  const a = useAuditorWords();
  const t = useLabel();
  const [app, setApp] = useState<Application | null>();
  const [name, setName] = useState<string>();
  const [events, setEvents] = useState<AuditEvent[]>([]);
  useEffect(() => {
    void (async () => {
      const res = await api.GET('/v1/applications/{id}', { params: { path: { id } } });
      const found = res.response.ok ? (res.data as unknown as Application) : null;
      setApp(found);
      if (found) {
        const e = await api.GET('/v1/enterprises/{creditCode}', {
          params: { path: { creditCode: found.creditCode } },
        });
        setName((e.data as unknown as { name?: string } | undefined)?.name);
      }
    })();
  }, [id]);
  const onEvents = useCallback((read: AuditEvent[]) => setEvents(read), []);

  if (app === undefined) return null;
  if (app === null) return <p>{a('notFound')}</p>;
  return (
    <>
      <Link to="/">{a('back')}</Link>
      <h1 style={{ fontSize: 20 }}>
        {name ?? app.creditCode} <Tag style={STATUS}>{t('applicationStatuses', app.status)}</Tag>
      </h1>
      <Descriptions size="small" bordered column={3} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={a('creditCode')}>
          <Link to={`/audit/enterprises/${app.creditCode}`}>{app.creditCode}</Link>
        </Descriptions.Item>
        <Descriptions.Item label={a('programme')}>{t('programmes', app.programme)}</Descriptions.Item>
        <Descriptions.Item label={a('round')}>
          <Link to={`/rounds/${app.roundId}`}>{app.roundId.slice(0, 8)}</Link>
        </Descriptions.Item>
        <Descriptions.Item label={a('revision')}>{app.revision}</Descriptions.Item>
        <Descriptions.Item label={a('score')}>{app.score ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="ID">
          <code>{app.id}</code>
        </Descriptions.Item>
      </Descriptions>
      <Timeline stream={`application-${id}`} onEvents={onEvents} />
      <ApplicationAsOf id={id} />
      <Draws events={events} />
    </>
  );
}
