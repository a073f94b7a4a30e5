import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppError, isUuid } from '@incident-sync/contracts';
import { RequestContext } from '@incident-sync/service-runtime';
import { CreateApiKeyDto } from './dto/api-key.dto';
import { ApiKeyEntity } from './entities/api-key.entity';

export const API_KEY_PREFIX = 'isk_';
export const ADMIN_API_KEY = Symbol('ADMIN_API_KEY');

export interface CallerIdentity {
  organization_id: string | null;
  key_id: string;
  name: string;
  is_admin: boolean;
}

export interface ApiKeyView {
  id: string;
  organization_id: string;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
}

const sha256 = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

const view = (k: ApiKeyEntity): ApiKeyView => ({
  id: k.id,
  organization_id: k.organizationId,
  name: k.name,
  prefix: k.prefix,
  created_at: k.createdAt.toISOString(),
  last_used_at: k.lastUsedAt ? k.lastUsedAt.toISOString() : null,
});

/**
 * Organization API keys. A key is 32 random bytes (base64url) behind `isk_`; only its
 * SHA-256 is stored, so a database leak yields no usable key. The bootstrap admin key comes
 * from the environment and is compared in constant time.
 */
@Injectable()
export class ApiKeyService {
  private readonly logger = new Logger(ApiKeyService.name);
  private readonly adminDigest: Buffer;

  constructor(@InjectDataSource() private readonly dataSource: DataSource, @Inject(ADMIN_API_KEY) adminKey: string) {
    this.adminDigest = sha256(adminKey);
  }

  async create(caller: RequestContext, dto: CreateApiKeyDto): Promise<ApiKeyView & { api_key: string }> {
    if (!caller.isAdmin) throw new AppError('UNAUTHENTICATED', 'creating API keys needs the admin key (ADMIN_API_KEY)');
    if (caller.organizationId && caller.organizationId !== dto.organization_id) {
      throw AppError.validation('organization_id', 'organization_id differs from X-Organization-Id');
    }
    const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
    const entity: ApiKeyEntity = {
      id: randomUUID(),
      organizationId: dto.organization_id,
      name: dto.name.trim(),
      keyHash: sha256(key).toString('hex'),
      prefix: key.slice(0, API_KEY_PREFIX.length + 6),
      createdAt: new Date(),
      lastUsedAt: null,
    };
    await this.dataSource.manager.insert(ApiKeyEntity, entity);
    this.logger.log({ msg: 'API key created', keyId: entity.id, keyName: entity.name, organizationId: entity.organizationId });
    return { ...view(entity), api_key: key };
  }

  async list(caller: RequestContext, organizationId?: string): Promise<{ data: ApiKeyView[] }> {
    let org: string | null;
    if (caller.isAdmin) {
      org = organizationId ?? caller.organizationId;
    } else {
      if (!caller.organizationId) throw new AppError('UNAUTHENTICATED', 'this call needs an API key bound to an organization');
      if (organizationId !== undefined && organizationId !== caller.organizationId) {
        throw AppError.validation('organization_id', "organization_id does not match the API key's organization");
      }
      org = caller.organizationId;
    }
    const rows = await this.dataSource.manager.find(ApiKeyEntity, { where: org ? { organizationId: org } : {}, order: { createdAt: 'ASC' } });
    return { data: rows.map(view) };
  }

  async delete(caller: RequestContext, id: string): Promise<void> {
    const valid = isUuid(id);
    const where = caller.isAdmin ? { id } : { id, organizationId: caller.organizationId ?? '' };
    const result = valid ? await this.dataSource.manager.delete(ApiKeyEntity, where) : { affected: 0 };
    if (!result.affected) throw AppError.notFound(`API key ${id}`);
    this.logger.log({ msg: 'API key revoked', keyId: id });
  }

  /** For the gateway: who is calling. null = unknown key (the route answers 401). */
  async resolve(apiKey: string): Promise<CallerIdentity | null> {
    const digest = sha256(apiKey);
    if (timingSafeEqual(digest, this.adminDigest)) return { organization_id: null, key_id: 'admin', name: 'admin', is_admin: true };
    if (!apiKey.startsWith(API_KEY_PREFIX)) return null;
    const key = await this.dataSource.manager.findOneBy(ApiKeyEntity, { keyHash: digest.toString('hex') });
    if (!key) return null;
    // Best effort, at most once a minute per key: an audit hint, not worth a write per request.
    if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() > 60000) {
      void this.dataSource.manager.update(ApiKeyEntity, { id: key.id }, { lastUsedAt: new Date() }).catch(() => undefined);
    }
    return { organization_id: key.organizationId, key_id: key.id, name: key.name, is_admin: false };
  }
}
