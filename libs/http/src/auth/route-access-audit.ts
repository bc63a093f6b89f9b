import { Inject, Injectable, Logger, OnModuleInit, RequestMethod, Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { PUBLIC_CONTROLLERS } from '../http-platform.tokens';
import { isPublic, rolesOf } from './access.decorators';

/** Inspectors only read: any of these methods listing 'inspector' stops the start-up. */
const READ_METHODS: ReadonlySet<RequestMethod> = new Set([RequestMethod.GET, RequestMethod.HEAD]);

export interface RouteAccessFinding {
  readonly route: string;
  readonly problem: 'inspector-may-write' | 'no-roles';
}

/**
 * Checks every route's access declaration at start-up. An inspector listed on a writing route
 * is a mistake the design forbids, so the start-up fails naming it; a route without @Roles is
 * already closed (the guard answers 403), so it is only logged, to be noticed before a user does.
 */
@Injectable()
export class RouteAccessAudit implements OnModuleInit {
  private readonly logger = new Logger('RouteAccessAudit');

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    @Inject(PUBLIC_CONTROLLERS) private readonly publicControllers: readonly Type[],
  ) {}

  onModuleInit(): void {
    const findings = this.findings();
    for (const finding of findings.filter(({ problem }) => problem === 'no-roles')) {
      this.logger.warn(`${finding.route} has no @Roles() and is not @Public(): every call is refused (403)`);
    }
    const writable = findings.filter(({ problem }) => problem === 'inspector-may-write');
    if (writable.length > 0) {
      throw new Error(
        `Inspectors are read-only, but these routes list 'inspector': ${writable.map(({ route }) => route).join(', ')}`,
      );
    }
  }

  findings(): RouteAccessFinding[] {
    const findings: RouteAccessFinding[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const controller = wrapper.metatype as Type | undefined;
      if (!controller || this.publicControllers.includes(controller)) continue;
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name] as object;
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod;
        const route = `${RequestMethod[method]} ${controller.name}.${name}`;
        if (isPublic(handler, controller)) continue;
        const roles = rolesOf(handler);
        if (!roles) findings.push({ route, problem: 'no-roles' });
        else if (roles.includes('inspector') && !READ_METHODS.has(method)) {
          findings.push({ route, problem: 'inspector-may-write' });
        }
      }
    }
    return findings;
  }
}
