import { Descriptions, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../api';
import { useLabel } from '../labels';
import { RoundListsAsOf } from './AsOf';
import { Timeline } from './Timeline';
import { useAuditorWords } from './words';

interface Round {
  id: string;
  programme: string;
  year: number;
  batch: number;
  title?: string;
  status: string;
  policyVersion: string;
  publicity?: { startsOn: string; endsOn: string };
}

const STATUS = { color: '#003a8c', background: '#e6f4ff', borderColor: '#91caff' };

/** A round for the auditor: its facts, every event of its stream, and its lists as of two instants. */
export function RoundAudit() {
  const { id } = useParams() as { id: string };
  const a = useAuditorWords();
  const t = useLabel();
  const [round, setRound] = useState<Round | null>();
  useEffect(() => {
    void api
      .GET('/v1/rounds/{id}', { params: { path: { id } } })
      .then((res) => setRound(res.response.ok ? (res.data as unknown as Round) : null));
  }, [id]);
  if (round === undefined) return null;
  if (round === null) return <p>{a('notFound')}</p>;
  return (
    <>
      <Link to="/">{a('back')}</Link>
      <h1 style={{ fontSize: 20 }}>
        {round.title ?? `${round.year} · ${round.batch}`}{' '}
        <Tag style={STATUS}>{t('roundStatuses', round.status)}</Tag>
      </h1>
      <Descriptions size="small" bordered column={3} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={a('programme')}>{t('programmes', round.programme)}</Descriptions.Item>
        <Descriptions.Item label={a('year')}>{round.year}</Descriptions.Item>
        <Descriptions.Item label="ID">
          <code>{round.id}</code>
        </Descriptions.Item>
      </Descriptions>
      <RoundListsAsOf id={id} />
      <Timeline stream={`round-${id}`} />
    </>
  );
}
