// The engine's own scoring-sheet arithmetic, imported rather than copied: the total the sheet
// shows is computed exactly as the engine will compute it (pure: exact rationals, no I/O).
export {
  totalOfSheet,
  type IndicatorScore,
} from '../../../../libs/incubation/src/domain/expert-review/scoring-sheet';
export type {
  ScoringSheet,
  ScoringIndicator,
} from '../../../../libs/incubation/src/domain/policies/policy-types';
