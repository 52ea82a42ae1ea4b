import { Button, Card, Modal, Table, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api';
import { useLabel } from '../labels';
import { chinaTime } from '../time';
import { useAuditorWords } from './words';

/** One stored event as the audit log returns it (raw, with its hash). */
export interface AuditEvent {
  position: number;
  stream: string;
  revision: number;
  type: string;
  occurredAt: string;
  recordedAt: string;
  actor: { sub: string; role: string };
  correlationId: string;
  causationId: string;
  data: Record<string, unknown>;
  hash: string;
}

/** An actor's role by its label; the engine's own actors (sagas, timers) and the public by a word. */
export function useActor() {
  const a = useAuditorWords();
  const t = useLabel();
  return (actor: { sub: string; role: string }) =>
    `${actor.role === 'system' || actor.role === 'public' ? a(actor.role) : t('roles', actor.role)} ${actor.sub}`;
}

/** Every event of one stream, in order, read page by page from GET /v1/audit/events. */
export async function readStream(stream: string): Promise<AuditEvent[]> {
  const out: AuditEvent[] = [];
  let after = 0;
  for (let page = 0; page < 50; page++) {
    const res = await api.GET('/v1/audit/events', { params: { query: { stream, after, limit: 500 } } });
    const body = res.data as unknown as { events: AuditEvent[]; next: number | null } | undefined;
    if (!body) break;
    out.push(...body.events);
    if (body.next === null) break;
    after = body.next;
  }
  return out;
}

/** A stream's timeline: every event with actor, time, correlation id and hash; open one for its data. */
export function Timeline({
  stream,
  onEvents,
}: {
  stream: string;
  onEvents?: (events: AuditEvent[]) => void;
}) {
  const a = useAuditorWords();
  const t = useLabel();
  const [events, setEvents] = useState<AuditEvent[]>();
  const [open, setOpen] = useState<AuditEvent | null>(null);
  const actor = useActor();
  const load = useCallback(async () => {
    const read = await readStream(stream);
    setEvents(read);
    onEvents?.(read);
  }, [stream, onEvents]);
  useEffect(() => void load(), [load]);

  return (
    <Card
      size="small"
      title={<h2 style={{ fontSize: 14, margin: 0 }}>{a('timeline')}</h2>}
      style={{ marginBottom: 16 }}
    >
      <Table<AuditEvent>
        size="small"
        rowKey="position"
        loading={events === undefined}
        dataSource={events}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: a('revision'), dataIndex: 'revision', width: 56 },
          { title: a('event'), render: (_, e) => t('eventTypes', e.type) },
          {
            title: a('actor'),
            render: (_, e) => actor(e.actor),
          },
          { title: a('occurredAt'), render: (_, e) => chinaTime(e.occurredAt) },
          {
            title: a('correlation'),
            render: (_, e) => (
              <Typography.Text code copyable={{ text: e.correlationId }} title={e.correlationId}>
                {e.correlationId.slice(0, 8)}
              </Typography.Text>
            ),
          },
          {
            title: a('hash'),
            render: (_, e) => (
              <Typography.Text code copyable={{ text: e.hash }} title={e.hash}>
                {e.hash.slice(0, 12)}
              </Typography.Text>
            ),
          },
          {
            title: a('view'),
            render: (_, e) => (
              <Button
                size="small"
                autoInsertSpace={false}
                onClick={() => setOpen(e)}
                aria-label={`${a('view')} ${e.revision} ${t('eventTypes', e.type)}`}
              >
                {a('view')}
              </Button>
            ),
          },
        ]}
      />
      <Modal
        open={open !== null}
        title={open ? `${t('eventTypes', open.type)} · ${a('revision')} ${open.revision}` : ''}
        footer={null}
        width={760}
        onCancel={() => setOpen(null)}
      >
        {open && (
          <>
            <dl style={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: '4px 12px' }}>
              <dt>{a('position')}</dt>
              <dd style={{ margin: 0 }}>{open.position}</dd>
              <dt>{a('actor')}</dt>
              <dd style={{ margin: 0 }}>{actor(open.actor)}</dd>
              <dt>{a('occurredAt')}</dt>
              <dd style={{ margin: 0 }}>{chinaTime(open.occurredAt)}</dd>
              <dt>{a('recordedAt')}</dt>
              <dd style={{ margin: 0 }}>{chinaTime(open.recordedAt)}</dd>
              <dt>{a('correlation')}</dt>
              <dd style={{ margin: 0 }}>
                <code>{open.correlationId}</code>
              </dd>
              <dt>{a('hash')}</dt>
              <dd style={{ margin: 0, wordBreak: 'break-all' }}>
                <code>{open.hash}</code>
              </dd>
            </dl>
            <h3 style={{ fontSize: 14 }}>{a('eventData')}</h3>
            <p style={{ color: '#595959' }}>{a('forgottenNote')}</p>
            <pre
              aria-label={a('eventData')}
              style={{ background: '#f5f5f5', padding: 12, maxHeight: 360, overflow: 'auto', fontSize: 12 }}
            >
              {JSON.stringify(open.data, null, 2)}
            </pre>
          </>
        )}
      </Modal>
    </Card>
  );
}
