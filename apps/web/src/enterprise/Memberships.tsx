import { App, Button, Card, Descriptions, Form, InputNumber, Modal, Table, Tag } from 'antd';
import { useState } from 'react';
import { api, must } from '../api';
import { workingDaysUntil } from '../expert/working-days';
import { useLabel } from '../labels';
import { useServerToday } from '../serverDay';
import type { Enterprise } from './Home';
import { usePortalWords } from './words';

export interface AnnualReport {
  year: number;
  dueOn: string;
  status: 'filed' | 'missed' | 'open';
}
export interface Membership {
  id: string;
  programme: string;
  status: string;
  validFrom: string;
  validUntil: string;
  lostReReviewRight: boolean;
  annualReports: AnnualReport[];
}

/** The figures an annual report carries, by their catalogue labels (the application's own fields). */
const FIGURES = [
  'financials.revenue',
  'financials.rdExpense',
  'financials.netProfit',
  'employees',
  'rdStaff',
] as const;

/** A year's data is filed once the year is over (on the engine's day). */
const yearOver = (report: AnnualReport, today: string) => today > `${report.year}-12-31`;

const TAG = {
  filed: { color: '#135200', background: '#f6ffed', borderColor: '#b7eb8f' },
  missed: { color: '#820014', background: '#fff1f0', borderColor: '#ffa39e' },
  open: { color: '#003a8c', background: '#e6f4ff', borderColor: '#91caff' },
  late: { color: '#873800', background: '#fff7e6', borderColor: '#ffd591' },
};

/**
 * My memberships (入库/认定): validity, whether the right to re-review was lost, and each year's
 * annual report with its due date, counted in working days from the engine's day; an open
 * report is filed here (POST /v1/memberships/:id/annual-reports), confirmed.
 */
export function Memberships({
  enterprise,
  onFiled,
}: {
  enterprise: Enterprise;
  onFiled: () => Promise<void>;
}) {
  const w = usePortalWords();
  const t = useLabel();
  const { message } = App.useApp();
  const today = useServerToday();
  const [filing, setFiling] = useState<{ membership: Membership; report: AnnualReport }>();
  const [confirming, setConfirming] = useState<Record<string, number>>();
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm();

  function due(report: AnnualReport) {
    if (report.status === 'filed') return <Tag style={TAG.filed}>{w('reportFiled')}</Tag>;
    if (report.status === 'missed') return <Tag style={TAG.missed}>{w('reportMissed')}</Tag>;
    if (!today) return <Tag style={TAG.open}>{w('reportOpen')}</Tag>;
    if (!yearOver(report, today)) return <Tag>{w('reportNotYet')}</Tag>;
    const left = workingDaysUntil(report.dueOn, today);
    return left >= 0 ? (
      <Tag style={TAG.open}>{w('reportDueIn', { days: left })}</Tag>
    ) : (
      <Tag style={TAG.late}>{w('reportOverdue', { days: -left })}</Tag>
    );
  }

  async function file() {
    if (!filing || !confirming) return;
    setBusy(true);
    try {
      const { revenue, rdExpense, netProfit, employees, rdStaff } = Object.fromEntries(
        FIGURES.map((f) => [f.replace('financials.', ''), confirming[f]]),
      );
      must(
        await api.POST('/v1/memberships/{id}/annual-reports', {
          params: { path: { id: filing.membership.id } },
          body: {
            year: filing.report.year,
            data: {
              financials: { year: filing.report.year, revenue, rdExpense, netProfit },
              employees,
              rdStaff,
            },
          } as never,
        }),
      );
      void message.success(w('reportFiledNow', { year: filing.report.year }));
      setConfirming(undefined);
      setFiling(undefined);
      form.resetFields();
      await onFiled();
    } catch (error) {
      void message.error((error as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const memberships = (enterprise as Enterprise & { memberships?: Membership[] }).memberships ?? [];
  return (
    <>
      <h1 style={{ fontSize: 20 }}>{w('memberships')}</h1>
      {memberships.length === 0 && <p>{w('noMemberships')}</p>}
      {memberships.map((m) => (
        <Card
          key={m.id}
          size="small"
          style={{ marginBottom: 16 }}
          title={<h2 style={{ fontSize: 14, margin: 0 }}>{t('programmes', m.programme)}</h2>}
          extra={<Tag>{t('membershipStatuses', m.status)}</Tag>}
        >
          <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginBottom: 12 }}>
            <Descriptions.Item label={w('validFrom')}>{m.validFrom}</Descriptions.Item>
            <Descriptions.Item label={w('validUntil')}>{m.validUntil}</Descriptions.Item>
            <Descriptions.Item label={w('reReview')}>
              {m.lostReReviewRight ? (
                <Tag style={TAG.missed}>{w('reReviewLost')}</Tag>
              ) : (
                <Tag style={TAG.filed}>{w('reReviewKept')}</Tag>
              )}
            </Descriptions.Item>
          </Descriptions>
          <Table
            size="small"
            rowKey="year"
            pagination={false}
            dataSource={m.annualReports}
            locale={{ emptyText: w('noAnnualReports') }}
            columns={[
              {
                title: w('reportYear'),
                dataIndex: 'year',
                render: (y: number) => w('yearData', { year: y }),
              },
              { title: w('dueOn'), dataIndex: 'dueOn' },
              { title: w('status'), render: (_, r) => due(r) },
              {
                title: w('actions'),
                render: (_, r) =>
                  r.status !== 'filed' && m.status === 'active' && today && yearOver(r, today) ? (
                    <Button
                      size="small"
                      type="primary"
                      onClick={() => setFiling({ membership: m, report: r })}
                    >
                      {w('fileReport', { year: r.year })}
                    </Button>
                  ) : null,
              },
            ]}
          />
        </Card>
      ))}
      <Modal
        open={!!filing && !confirming}
        title={filing ? w('fileReport', { year: filing.report.year }) : ''}
        onCancel={() => setFiling(undefined)}
        onOk={() => form.submit()}
        okText={w('next')}
        destroyOnHidden
      >
        {filing && (
          <p>
            {t('programmes', filing.membership.programme)} · {w('dueOn')} {filing.report.dueOn}
          </p>
        )}
        <Form
          form={form}
          layout="vertical"
          onFinish={(values: Record<string, number>) => setConfirming(values)}
        >
          {FIGURES.map((f) => (
            <Form.Item
              key={f}
              name={f}
              label={t('materials', f)}
              rules={[{ required: true, message: w('required') }]}
            >
              <InputNumber
                min={0}
                style={{ width: '100%' }}
                formatter={(v) => `${v ?? ''}`.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}
                parser={((v: string | undefined) => Number((v ?? '').replace(/,/g, ''))) as never}
              />
            </Form.Item>
          ))}
        </Form>
      </Modal>
      <Modal
        open={!!confirming}
        title={w('confirmReport')}
        onCancel={() => setConfirming(undefined)}
        onOk={file}
        okText={w('submitReport')}
        confirmLoading={busy}
      >
        {filing && confirming && (
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={w('reportYear')}>
              {w('yearData', { year: filing.report.year })}
            </Descriptions.Item>
            {FIGURES.map((f) => (
              <Descriptions.Item key={f} label={t('materials', f)}>
                {confirming[f]?.toLocaleString('zh-CN')}
              </Descriptions.Item>
            ))}
          </Descriptions>
        )}
        <p style={{ marginTop: 12 }}>{w('reportOnce')}</p>
      </Modal>
    </>
  );
}
