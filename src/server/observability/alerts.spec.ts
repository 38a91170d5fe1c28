import fs from 'node:fs'
import path from 'node:path'

import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'

import { createAppMetrics } from './metrics'

type RuleFile = { groups: { name: string; rules: { alert: string; expr: string }[] }[] }

/** Metrics that come from Prometheus itself or its exporters, not from the app. */
const externalMetrics = new Set(['up', 'probe_success'])
const promqlWords = new Set([
  'sum',
  'rate',
  'by',
  'le',
  'route',
  'clamp_min',
  'histogram_quantile',
  'max_over_time',
  'delta',
  'time',
  'status_class',
  'state',
  'job',
  'instance',
  'e',
  'd',
  'm',
  'h',
])

describe('docs/monitoring/alerts.yml', () => {
  const file = parse(
    fs.readFileSync(
      path.resolve(import.meta.dirname, '../../../docs/monitoring/alerts.yml'),
      'utf8',
    ),
  ) as RuleFile
  const ruleNamed = (name: string) =>
    file.groups.flatMap((group) => group.rules).find((rule) => rule.alert === name)

  it('should count only server errors as errors, and page on an unreachable database', () => {
    // Refusals (4xx) have a rule of their own, a ticket; an outage's 503s are 5xx and named.
    expect(ruleNamed('CatalogHighErrorRate')?.expr).toContain('status_class="5xx"')
    expect(ruleNamed('CatalogDatabaseUnavailable')?.expr).toContain(
      'db_unavailable_responses_total',
    )
  })

  it('should only use metrics the app exposes', async () => {
    const exposed = new Set(
      (await createAppMetrics().registry.getMetricsAsJSON()).flatMap((metric) =>
        String(metric.type) === 'histogram'
          ? [`${metric.name}_bucket`, `${metric.name}_count`, `${metric.name}_sum`]
          : [metric.name],
      ),
    )
    const rules = file.groups.flatMap((group) => group.rules)
    expect(rules.length).toBeGreaterThan(5)
    for (const rule of rules) {
      const expression = rule.expr.replace(/"[^"]*"/g, '').replace(/\[[^\]]*\]/g, '')
      const identifiers = expression.match(/[a-z_][a-z0-9_]*/gi) ?? []
      const metrics = identifiers.filter(
        (name) => !promqlWords.has(name) && !externalMetrics.has(name),
      )
      for (const metric of metrics) {
        expect(exposed.has(metric), `${rule.alert} uses ${metric}`).toBe(true)
      }
    }
  })
})
