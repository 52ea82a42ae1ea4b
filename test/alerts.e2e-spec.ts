import { parser } from '@prometheus-io/lezer-promql';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startApi, type Harness } from './support/api-harness';
import { ROOT } from './support/processes';

/**
 * The alert rules (docker/alerts.yml) stay valid and watch what really exists: every expression
 * parses with Prometheus's own PromQL grammar (the one its web UI uses), every metric it names is
 * one the engine serves at /metrics or one of the exporters in compose.yaml exports, and every
 * Alertmanager route leads to a receiver. `promtool check rules` runs as well where promtool is
 * installed (apt-get install prometheus).
 */
interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/**
 * Metrics of the exporters in docker/compose.yaml (postgres-exporter, redis_exporter, as their
 * documentation names them) and Prometheus's own per-target `up`.
 */
const EXPORTED_ELSEWHERE = ['up', 'pg_up', 'redis_up', 'redis_memory_used_bytes', 'redis_memory_max_bytes'];

const docker = (file: string) => join(ROOT, 'docker', file);
const rules: Rule[] = (
  parse(readFileSync(docker('alerts.yml'), 'utf8')) as { groups: { name: string; rules: Rule[] }[] }
).groups.flatMap((group) => group.rules);

/** The metric names an expression selects, or the syntax errors it has. */
function inspect(expr: string): { metrics: string[]; errors: string[] } {
  const tree = parser.parse(expr);
  const metrics: string[] = [];
  const errors: string[] = [];
  tree.iterate({
    enter(node) {
      if (node.type.isError)
        errors.push(`syntax error at ${node.from}: ${expr.slice(node.from, node.from + 20)}`);
      // VectorSelector > Identifier is the metric name (labels, functions and aggregations are
      // other node types).
      if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector')
        metrics.push(expr.slice(node.from, node.to));
    },
  });
  return { metrics, errors };
}

describe('alert rules (docker/alerts.yml) and where alerts go (docker/alertmanager.yml)', () => {
  let api: Harness;
  let served: Set<string>;

  beforeAll(async () => {
    api = await startApi();
    const text: string = (await api.request('GET', '/metrics')).body;
    served = new Set<string>();
    for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
      served.add(name);
      if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) served.add(name + suffix);
      if (type === 'summary') for (const suffix of ['_sum', '_count']) served.add(name + suffix);
    }
  });
  afterAll(() => api?.close());

  it('watches what the issue asks: parked events, overdue timers, projection lag, failed jobs, Redis memory, event store and read models down', () => {
    const names = rules.map((rule) => rule.alert);
    expect(names).toEqual(
      expect.arrayContaining([
        'ParkedEvents',
        'TimersOverdue',
        'ProjectionLagging',
        'NotificationJobsFailed',
        'RedisMemoryNearMaxmemory',
        'EventStoreDown',
        'ReadModelDatabaseDown',
      ]),
    );
  });

  it.each(rules.map((rule) => [rule.alert ?? rule.record, rule] as const))(
    '%s: parses, names only metrics that exist, and says how severe it is and what it means',
    (_name, rule) => {
      const { metrics, errors } = inspect(rule.expr);
      expect(errors).toEqual([]);
      expect(metrics.length).toBeGreaterThan(0);
      const unknown = metrics.filter((metric) => !served.has(metric) && !EXPORTED_ELSEWHERE.includes(metric));
      expect(unknown).toEqual([]);
      expect(['critical', 'warning']).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary).toEqual(expect.any(String));
      if (rule.for) expect(rule.for).toMatch(/^\d+[smh]$/);
    },
  );

  it('a syntax error or an unknown metric would be caught (the check itself works)', () => {
    expect(inspect('sum(rate(engine_command_duration_seconds_count[5m])').errors.length).toBeGreaterThan(0);
    expect(inspect('engine_no_such_metric > 0').metrics).toEqual(['engine_no_such_metric']);
    expect(served.has('engine_no_such_metric')).toBe(false);
  });

  it('routes every alert to a receiver that exists, and Prometheus sends alerts to Alertmanager', () => {
    const am = parse(readFileSync(docker('alertmanager.yml'), 'utf8')) as {
      route: { receiver: string; routes?: { receiver: string }[] };
      receivers: { name: string; email_configs?: unknown[]; webhook_configs?: unknown[] }[];
    };
    const receivers = new Set(am.receivers.map((r) => r.name));
    for (const route of [am.route, ...(am.route.routes ?? [])]) expect(receivers).toContain(route.receiver);
    expect(am.receivers.some((r) => r.email_configs?.length)).toBe(true);
    expect(am.receivers.some((r) => r.webhook_configs?.length)).toBe(true);
    const prometheus = parse(readFileSync(docker('prometheus.yml'), 'utf8')) as {
      alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
      scrape_configs: { job_name: string }[];
    };
    expect(prometheus.alerting.alertmanagers[0].static_configs[0].targets).toContain('alertmanager:9093');
    expect(prometheus.scrape_configs.map((job) => job.job_name)).toEqual(
      expect.arrayContaining(['api', 'worker', 'postgres', 'redis']),
    );
  });

  it('the provisioned Grafana dashboard queries only metrics that exist, through the provisioned data source', () => {
    const dashboard = JSON.parse(readFileSync(docker('grafana/dashboards/engine.json'), 'utf8')) as {
      panels: { title: string; datasource: { uid: string }; targets: { expr: string }[] }[];
    };
    const datasources = parse(
      readFileSync(docker('grafana/provisioning/datasources/prometheus.yml'), 'utf8'),
    ) as {
      datasources: { uid: string }[];
    };
    expect(dashboard.panels.length).toBeGreaterThan(5);
    for (const panel of dashboard.panels) {
      expect(datasources.datasources.map((d) => d.uid)).toContain(panel.datasource.uid);
      for (const { expr } of panel.targets) {
        const { metrics, errors } = inspect(expr);
        expect({ panel: panel.title, errors }).toEqual({ panel: panel.title, errors: [] });
        const unknown = metrics.filter(
          (metric) => !served.has(metric) && !EXPORTED_ELSEWHERE.includes(metric),
        );
        expect({ panel: panel.title, unknown }).toEqual({ panel: panel.title, unknown: [] });
      }
    }
  });

  const promtool = spawnSync('promtool', ['--version']).status === 0;
  (promtool ? it : it.skip)(
    promtool
      ? 'promtool check rules accepts the rule file'
      : 'promtool check rules accepts the rule file (skipped: promtool is not installed here; apt-get install prometheus)',
    () => {
      const checked = spawnSync('promtool', ['check', 'rules', docker('alerts.yml')], { encoding: 'utf8' });
      expect(checked.stdout + checked.stderr).toContain('SUCCESS');
      expect(checked.status).toBe(0);
    },
  );
});
