import { Controller, Get, Header } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags, type SchemaObject } from '@nestjs/swagger';
import { LABEL_GROUPS, LABELS, LOCALES } from '@engine/platform';

/** The catalogue's exact shape: every locale, every group, every code (so a typed client knows them). */
function catalogueSchema(): SchemaObject {
  const groups: Record<string, SchemaObject> = {};
  for (const group of LABEL_GROUPS) {
    const codes = Object.keys(LABELS['zh-CN'][group]);
    groups[group] = {
      type: 'object',
      properties: Object.fromEntries(codes.map((code) => [code, { type: 'string' }])),
      required: codes,
      additionalProperties: false,
    };
  }
  const catalogue: SchemaObject = {
    type: 'object',
    properties: groups,
    required: [...LABEL_GROUPS],
    additionalProperties: false,
  };
  return {
    type: 'object',
    properties: Object.fromEntries(LOCALES.map((locale) => [locale, catalogue])),
    required: [...LOCALES],
    additionalProperties: false,
    example: {
      'zh-CN': { applicationStatuses: { returned: '退回补正' } },
      en: { applicationStatuses: { returned: 'Returned for more material' } },
    },
  };
}

@ApiTags('labels')
@ApiBearerAuth()
@Controller('v1/labels')
export class LabelsController {
  @Get()
  @Header('Cache-Control', 'private, max-age=300')
  @ApiOperation({
    summary:
      'The label catalogue in zh-CN and en: programmes, statuses, stages, decisions, exit reasons, event types, materials (application data fields), roles',
  })
  @ApiOkResponse({ description: 'labels by locale, group and code', schema: catalogueSchema() })
  list() {
    return LABELS;
  }
}
