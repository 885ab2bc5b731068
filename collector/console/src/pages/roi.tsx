import { useEffect, useState } from 'preact/hooks'
import { DEFAULT_ROI_ASSUMPTIONS, projectRoi, ROI_INPUT_BOUNDS, type RoiInput, type RoiProjection } from '../../../src/roi/project-roi'
import type { EmqReport } from '../api-types'
import { useApi } from '../use-api'

type Field = keyof typeof ROI_INPUT_BOUNDS

const FIELDS: { key: Field; label: string; step: string }[] = [
  { key: 'adSpend', label: 'Monthly ad spend', step: '1' },
  { key: 'conversions', label: 'Conversions per month', step: '1' },
  { key: 'averageOrderValue', label: 'Average order value', step: '0.01' },
  { key: 'currentEmq', label: 'Current EMQ', step: '0.1' },
  { key: 'targetEmq', label: 'Target EMQ', step: '0.1' },
]

const number = (n: number, digits = 0) => n.toLocaleString(undefined, { maximumFractionDigits: digits, minimumFractionDigits: digits })
const signed = (n: number, digits = 0) => `${n >= 0 ? '+' : '−'}${number(Math.abs(n), digits)}`

/** The projection, or the reason there is none. */
function project(values: Record<Field, string>): RoiProjection | string {
  const input = Object.fromEntries(FIELDS.map(({ key }) => [key, values[key] === '' ? Number.NaN : Number(values[key])])) as unknown as RoiInput
  try {
    return projectRoi(input)
  } catch (error) {
    const details = (error as { details?: { message: string }[] }).details
    return details?.map((d) => d.message).join('; ') ?? String(error)
  }
}

/**
 * The ROI calculator (`/console/roi`): what moving from the current EMQ to a
 * target does to attributed conversions, revenue and ROAS, computed in the
 * page by the same `projectRoi` that answers `GET /roi`
 * (collector/docs/roi-model.md). The current EMQ is prefilled from the
 * tenant's 7-day mean (`GET /emq`).
 *
 * @example
 * <Roi />
 */
export default function Roi() {
  const emq = useApi<EmqReport>('/emq?top=0')
  const [values, setValues] = useState<Record<Field, string>>({
    adSpend: '10000',
    conversions: '200',
    averageOrderValue: '80',
    currentEmq: '',
    targetEmq: '85',
  })
  const mean = emq.data?.tenant.windows['7d'].mean_emq
  useEffect(() => {
    if (emq.data || emq.error) setValues((v) => (v.currentEmq === '' ? { ...v, currentEmq: String(mean ?? 50) } : v))
  }, [emq.data, emq.error, mean])
  const result = project(values)
  return (
    <section aria-labelledby="page-heading">
      <h1 id="page-heading">ROI calculator</h1>
      <p>
        Your ad platforms can attribute only the conversions they match to a person; better signal (a higher EMQ) matches more of the
        same real conversions. Spend stays the same. {mean != null && <>Your tenant's 7-day mean EMQ is {mean.toFixed(1)}.</>}
      </p>
      <form class="fields" onSubmit={(event) => event.preventDefault()}>
        {FIELDS.map(({ key, label, step }) => (
          <div key={key}>
            <label for={`roi-${key}`}>{label}</label>
            <input
              id={`roi-${key}`}
              type="number"
              inputMode="decimal"
              min={ROI_INPUT_BOUNDS[key].min}
              max={ROI_INPUT_BOUNDS[key].max}
              step={step}
              value={values[key]}
              onInput={(event) => {
                const value = event.currentTarget.value
                setValues((v) => ({ ...v, [key]: value }))
              }}
            />
          </div>
        ))}
      </form>
      <section aria-labelledby="roi-result" aria-live="polite">
        <h2 id="roi-result">Projection</h2>
        {typeof result === 'string' ? (
          <p class="error">{result}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Per month</th>
                <th scope="col" class="num">Today (EMQ {number(result.current.emq, 1)})</th>
                <th scope="col" class="num">At EMQ {number(result.target.emq, 1)}</th>
                <th scope="col" class="num">Change</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">Attributed conversions</th>
                <td class="num">{number(result.current.attributedConversions)}</td>
                <td class="num">{number(result.target.attributedConversions)}</td>
                <td class="num">
                  {signed(result.change.attributedConversions)}
                  {result.change.attributedConversionsPercent != null && ` (${signed(result.change.attributedConversionsPercent, 1)} %)`}
                </td>
              </tr>
              <tr>
                <th scope="row">Attributed revenue</th>
                <td class="num">{number(result.current.attributedRevenue)}</td>
                <td class="num">{number(result.target.attributedRevenue)}</td>
                <td class="num">{signed(result.change.attributedRevenue)}</td>
              </tr>
              <tr>
                <th scope="row">ROAS</th>
                <td class="num">{result.current.roas == null ? '—' : number(result.current.roas, 2)}</td>
                <td class="num">{result.target.roas == null ? '—' : number(result.target.roas, 2)}</td>
                <td class="num">{result.change.roas == null ? '—' : signed(result.change.roas, 2)}</td>
              </tr>
            </tbody>
          </table>
        )}
        <p class="muted">
          Assumed match rates: {number(DEFAULT_ROI_ASSUMPTIONS.matchRateAtZero * 100)} % of real conversions at EMQ 0,{' '}
          {number(DEFAULT_ROI_ASSUMPTIONS.matchRateAtHundred * 100)} % at EMQ 100, linear in between (collector/docs/roi-model.md).
        </p>
      </section>
    </section>
  )
}
