import type { LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { type AppConfig, type Clock, nestLogLevels } from '@engine/platform';
import { ApiModule } from './api.module';
import { installJsonBodyParser } from './http/json-body-parser';
import { createValidationPipe } from './http/validation';

export interface CreateApiOptions {
  clock?: Clock;
  withWorker?: boolean;
  logger?: false | LogLevel[];
}

/** Builds the HTTP application (used by main.ts and by the end-to-end tests). */
export async function createApiApp(
  config: AppConfig,
  options: CreateApiOptions = {},
): Promise<NestFastifyApplication> {
  const withWorker = options.withWorker ?? config.EVENT_STORE === 'sqlite';
  const adapter = new FastifyAdapter({
    bodyLimit: 1024 * 1024,
    // Keys that would let a body reach Object.prototype are refused while parsing.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    requestTimeout: 30_000,
  });
  installJsonBodyParser(adapter.getInstance());
  const app = await NestFactory.create<NestFastifyApplication>(
    ApiModule.forRoot(config, { withWorker, clock: options.clock }),
    adapter,
    {
      logger: options.logger ?? nestLogLevels(config.LOG_LEVEL),
      bufferLogs: false,
      // Boot errors (bad policy files, an unreachable store) reach main(), which reports them once.
      abortOnError: false,
      // JSON bodies are parsed by installJsonBodyParser (secure parse plus a nesting limit).
      bodyParser: false,
    },
  );
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('企业培育库 workflow engine')
      .setDescription(
        'Enterprise cultivation lists: eaglet, gazelle, quasi-unicorn, little giant, tech-retrofit whitelist',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  app.useGlobalPipes(createValidationPipe());
  return app;
}
