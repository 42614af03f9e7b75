import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { parseArgs } from 'node:util';
import { AuditTrailCheckpoints } from './audit-trail/audit-trail-checkpoints.service.js';
import { AuditTrailService } from './audit-trail/audit-trail.service.js';
import { AuthService } from './auth/auth.service.js';
import { currentTotp, TotpService } from './auth/totp.service.js';
import { bootstrapStaff } from './staff/bootstrap-staff.js';
import { systemActor } from './common/actor.js';
import { AppException } from './common/errors/app.exception.js';
import { EnvironmentError } from './config/environment.js';
import { loadConfig } from './config/configuration.js';
import { ensureDatabase } from './database/ensure-database.js';
import { migrate } from './database/migrate.js';
import { featureOf } from './common/features/feature.js';
import { FEATURE_ENTITIES, FEATURES } from './features.js';
import { UnitOfWork } from './database/unit-of-work.js';
import { Organization } from './organizations/organization.entity.js';
import { OrganizationsService } from './organizations/organizations.service.js';
import { seedDemoIndicators } from '../seeds/demo-indicators.seed.js';
import { seedDemoAudits } from '../seeds/demo-audits.seed.js';
import { ResponsePlanSync } from './response-plan/response-plan.sync.js';
import { seedDemoCompliance } from '../seeds/demo-compliance.seed.js';
import { seedDemoDrills } from '../seeds/demo-drills.seed.js';
import { seedDemoResponsePlan } from '../seeds/demo-response-plan.seed.js';
import { seedDemoIncidents } from '../seeds/demo-incidents.seed.js';
import { seedDemoTown } from '../seeds/demo-town.seed.js';
import { seedDemoTraining } from '../seeds/demo-training.seed.js';

interface Command {
  usage: string;
  description: string;
  run(args: string[]): Promise<number>;
}

/** A Nest application context without HTTP or job processing, for commands that use services. */
async function withServices<T>(work: (app: INestApplicationContext) => Promise<T>): Promise<T> {
  const { CliModule } = await import('./cli.module.js');
  const app = await NestFactory.createApplicationContext(CliModule, { logger: ['error', 'warn'] });
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Password: ');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

const print = (value: unknown): void => void process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

const COMMANDS: Record<string, Command> = {
  help: {
    usage: 'help',
    description: 'list the commands',
    run: async () => {
      process.stdout.write('Usage: npm run cli -- <command> [options]\n\n');
      for (const command of Object.values(COMMANDS)) process.stdout.write(`  ${command.usage.padEnd(78)} ${command.description}\n`);
      return 0;
    },
  },
  'db:create': {
    usage: 'db:create',
    description: 'as the owner (DATABASE_OWNER_URL): create the app role mamori_app, the login role of DATABASE_URL and the database, when missing',
    run: async () => {
      const { database } = loadConfig();
      print(await ensureDatabase(ownerUrl(), database.url));
      return 0;
    },
  },
  migrate: {
    usage: 'migrate',
    description: 'apply pending migrations as the owner (DATABASE_OWNER_URL); the app itself never can',
    run: async () => {
      print({ applied: await migrate(ownerUrl(), FEATURE_ENTITIES) });
      return 0;
    },
  },
  'seed:demo': {
    usage: 'seed:demo',
    description:
      'load the demo town: departments, staff, policies/ (approved), control statuses, training FY2019–, incidents FY2019–, audits and self-inspections FY2019–FY2022, the response plan (approved FY2021, revised FY2022 and FY2025), drills FY2022–, the indicators’ manual values FY2020–FY2022 with FY2019–FY2021 closed (idempotent)',
    run: () =>
      withServices(async (app) => {
        const town = await seedDemoTown({
          uow: app.get(UnitOfWork),
          organizations: app.get(OrganizationsService),
          totp: app.get(TotpService),
          auth: app.get(AuthService),
        });
        const compliance = await seedDemoCompliance(app, town.organizationId);
        const training = await seedDemoTraining(app, town.organizationId);
        const incidents = await seedDemoIncidents(app, town.organizationId);
        const audits = await seedDemoAudits(app, town.organizationId);
        // the emergency response plan's scenarios and contacts (policies/response-plan/)
        const responsePlan = await app.get(ResponsePlanSync).sync(systemActor(town.organizationId, 'seed'));
        // the drills of the plan's scenarios: FY2022's first tabletop drill with its record and findings, FY2023's, this year's (scheduled)
        const drills = await seedDemoDrills(app, town.organizationId);
        // the plan's versions: approved in FY2021, revised from FY2022's drill, reviewed in FY2025
        const planVersions = await seedDemoResponsePlan(app, town.organizationId);
        // the plan's indicators: manual values FY2020–FY2022, FY2019–FY2021 closed
        const indicators = await seedDemoIndicators(app, town.organizationId);
        print({
          ...town,
          compliance,
          training,
          incidents,
          audits,
          responsePlan: { scenarios: responsePlan.scenarios, contacts: responsePlan.contacts },
          drills,
          planVersions,
          indicators,
        });
        return 0;
      }),
  },
  'staff:create': {
    usage: 'staff:create --email E --name "姓 名" --roles admin,ciso [--department CODE] [--organization CODE]',
    description: 'create a person (password from standard input); prints JSON, with the otpauth URI for privileged roles',
    run: async (args) => {
      const { values } = parseArgs({
        args,
        options: {
          email: { type: 'string' },
          name: { type: 'string' },
          roles: { type: 'string' },
          department: { type: 'string' },
          organization: { type: 'string' },
          'employee-number': { type: 'string' },
        },
      });
      const password = await readStdin();
      return withServices(async (app) => {
        print(
          await bootstrapStaff(app, {
            email: values.email,
            name: values.name,
            roles: values.roles,
            department: values.department,
            organization: values.organization,
            employeeNumber: values['employee-number'],
            password,
          }),
        );
        return 0;
      });
    },
  },
  'audit-trail:verify': {
    usage: 'audit-trail:verify [--organization CODE]',
    description: 'recompute every audit-trail hash chain and check its checkpoints; exit 1 and name the first break if one is found',
    run: async (args) => {
      const { values } = parseArgs({ args, options: { organization: { type: 'string' } } });
      return withServices(async (app) => {
        const organizations = await app
          .get(UnitOfWork)
          .manager.getRepository(Organization)
          .find({ where: values.organization ? { code: values.organization } : {}, order: { createdAt: 'ASC' } });
        const results = [];
        for (const organization of organizations)
          results.push({ organization: organization.code, ...(await app.get(AuditTrailService).verify(organization.id)) });
        print(results);
        return results.every((r) => r.ok) ? 0 : 1;
      });
    },
  },
  'audit-trail:checkpoint': {
    usage: 'audit-trail:checkpoint',
    description: "write a signed checkpoint of each organisation's audit-trail head now (the hourly job does it too)",
    run: () =>
      withServices(async (app) => {
        print(await app.get(AuditTrailCheckpoints).checkpointAll());
        return 0;
      }),
  },
  'totp:code': {
    usage: 'totp:code --secret BASE32',
    description: 'print the current TOTP code for a secret (for the demo accounts)',
    run: async (args) => {
      const { values } = parseArgs({ args, options: { secret: { type: 'string' } } });
      if (!values.secret) throw new UsageError('--secret is required');
      process.stdout.write(`${currentTotp(values.secret)}\n`);
      return 0;
    },
  },
};

// the features' own commands (`@Feature({ commands })`)
for (const command of FEATURES.flatMap((feature) => featureOf(feature.module)?.commands ?? [])) {
  if (COMMANDS[command.name]) throw new Error(`CLI command ${command.name} is declared twice`);
  COMMANDS[command.name] = { usage: command.usage, description: command.description, run: (args) => withServices((app) => command.run(app, args)) };
}

export class UsageError extends Error {}

/** The owner's connection: only `db:create` and `migrate` use it. */
function ownerUrl(): string {
  const url = loadConfig().database.ownerUrl;
  if (!url) throw new UsageError('DATABASE_OWNER_URL is required: the owner role creates and migrates the database (SECURITY.md)');
  return url;
}

async function main(argv: string[]): Promise<number> {
  loadConfig(); // a bad environment stops every command with one line naming the variable
  const [name = 'help', ...args] = argv;
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`Unknown command "${name}". Run: npm run cli -- help\n`);
    return 2;
  }
  return command.run(args);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof EnvironmentError || error instanceof UsageError) process.stderr.write(`${error.message}\n`);
    else if (error instanceof AppException) process.stderr.write(`${JSON.stringify({ code: error.code, detail: error.message, errors: error.errors })}\n`);
    else process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
