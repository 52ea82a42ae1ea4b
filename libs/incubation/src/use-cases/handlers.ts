import { CloseRoundHandler } from './close-round/close-round.handler';
import { CreateApplicationHandler } from './create-application/create-application.handler';
import { CreateRoundHandler } from './create-round/create-round.handler';
import {
  GetApplicationHandler,
  GetApplicationHistoryHandler,
} from './get-application/get-application.handler';
import { GetEnterpriseHandler } from './get-enterprise/get-enterprise.handler';
import { GetRoundHandler } from './get-round/get-round.handler';
import { GetPanelsToDrawHandler } from './get-panels-to-draw/get-panels-to-draw.handler';
import { GetRoundPanelsHandler } from './get-round-panels/get-round-panels.handler';
import { RegisterEnterpriseHandler } from './register-enterprise/register-enterprise.handler';
import { ReviewApplicationHandler } from './review-application/review-application.handler';
import { SubmitApplicationHandler } from './submit-application/submit-application.handler';
import { UpdateApplicationHandler } from './update-application/update-application.handler';
import { WithdrawForMissedDeadlineHandler } from './withdraw-for-missed-deadline/withdraw-for-missed-deadline.handler';

import { RegisterExpertHandler } from './register-expert/register-expert.handler';
import { DrawPanelHandler } from './draw-panel/draw-panel.handler';
import { ScoreApplicationHandler } from './score-application/score-application.handler';
import { RemindExpertHandler } from './remind-expert/remind-expert.handler';
import { ReplaceOverdueExpertHandler } from './replace-overdue-expert/replace-overdue-expert.handler';
import { DeclareConflictHandler } from './declare-conflict/declare-conflict.handler';
import { ReplaceConflictedExpertHandler } from './replace-conflicted-expert/replace-conflicted-expert.handler';
import { GrantMembershipHandler } from './grant-membership/grant-membership.handler';
import { FileAnnualReportHandler } from './file-annual-report/file-annual-report.handler';
import { GetAnnualReportsHandler } from './get-annual-reports/get-annual-reports';
import { GetExpertNamesHandler } from './get-expert-names/get-expert-names';
import { MembershipTimerHandler } from './membership-timer/membership-timer.handler';
import { ExitMembershipHandler } from './exit-membership/exit-membership.handler';
import { PromoteMembershipsHandler } from './promote-memberships/promote-memberships.handler';
import { BanEnterpriseHandler } from './ban-enterprise/ban-enterprise.handler';
import { StartPublicityHandler } from './start-publicity/start-publicity.handler';
import { RaiseObjectionHandler } from './raise-objection/raise-objection.handler';
import { ResolveObjectionHandler } from './resolve-objection/resolve-objection.handler';
import { GetObjectionHandler } from './get-objection/get-objection.handler';
import { FinalizeRoundHandler } from './finalize-round/finalize-round.handler';
import { PubliciseApplicationHandler } from './publicise-application/publicise-application.handler';
import { RejectApplicationHandler } from './reject-application/reject-application.handler';
import { AdmitApplicationHandler } from './admit-application/admit-application.handler';
import { ForwardToMinistryHandler } from './forward-to-ministry/forward-to-ministry.handler';
import { RecordFinanceOpinionHandler } from './record-finance-opinion/record-finance-opinion.handler';
import { RecordNationalDecisionHandler } from './record-national-decision/record-national-decision.handler';
import { GetRoundListHandler } from './get-round-list/get-round-list.handler';
import { GetRoundDocumentHandler } from './get-round-document/get-round-document.handler';
import { IssueAdmissionNoticeHandler } from './issue-admission-notice/issue-admission-notice.handler';
import { RecomputeProvisionalDeadlinesHandler } from './recompute-provisional-deadlines/recompute-provisional-deadlines.handler';
import { FUND_HANDLERS } from './get-fund/fund-handlers';
import { GetFinancingTermsHandler } from './get-financing-terms/get-financing-terms.handler';

import { CityStage } from './city-stage';

/** Every command and query handler of the incubation context (and the city stage's shared opening). */
export const USE_CASE_HANDLERS = [
  CityStage,
  RegisterEnterpriseHandler,
  GetEnterpriseHandler,
  GetAnnualReportsHandler,
  GetExpertNamesHandler,
  CreateRoundHandler,
  CloseRoundHandler,
  GetRoundHandler,
  GetRoundListHandler,
  GetRoundPanelsHandler,
  GetPanelsToDrawHandler,
  CreateApplicationHandler,
  UpdateApplicationHandler,
  SubmitApplicationHandler,
  ReviewApplicationHandler,
  GetApplicationHandler,
  GetApplicationHistoryHandler,
  WithdrawForMissedDeadlineHandler,
  RegisterExpertHandler,
  DrawPanelHandler,
  ScoreApplicationHandler,
  RemindExpertHandler,
  ReplaceOverdueExpertHandler,
  DeclareConflictHandler,
  ReplaceConflictedExpertHandler,
  StartPublicityHandler,
  RaiseObjectionHandler,
  ResolveObjectionHandler,
  GetObjectionHandler,
  FinalizeRoundHandler,
  PubliciseApplicationHandler,
  RejectApplicationHandler,
  AdmitApplicationHandler,
  ForwardToMinistryHandler,
  RecordFinanceOpinionHandler,
  RecordNationalDecisionHandler,
  GetRoundDocumentHandler,
  IssueAdmissionNoticeHandler,
  GrantMembershipHandler,
  FileAnnualReportHandler,
  MembershipTimerHandler,
  ExitMembershipHandler,
  PromoteMembershipsHandler,
  BanEnterpriseHandler,
  RecomputeProvisionalDeadlinesHandler,
  ...FUND_HANDLERS,
  GetFinancingTermsHandler,
];
