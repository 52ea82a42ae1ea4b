// The engine's own draw function, imported rather than copied: what the page recomputes is
// exactly what the engine ran (it is pure: SHA-256 from @noble/hashes, no Node built-ins).
export {
  drawPanel,
  type PanelCandidate,
  type PanelRules,
} from '../../../../libs/incubation/src/domain/expert-review/panel-draw';
