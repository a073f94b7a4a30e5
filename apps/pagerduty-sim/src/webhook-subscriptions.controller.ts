import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query, UseFilters } from '@nestjs/common';
import { Public } from '@incident-sync/service-runtime';
import { paginate, parsePage, Query as Q } from './incident-query';
import { PdError } from './pd-error';
import { PdJson } from './pd-render';
import { PdErrorFilter } from './sim-http';
import { newPdId, newWebhookSecret } from './sim-ids';
import { SimSubscription } from './sim-model';
import { SIMULATOR, Simulator } from './simulator';
import { pingEvent } from './webhook-events';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const FILTER_TYPES = ['account_reference', 'service_reference', 'team_reference'] as const;

function parseEvents(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((e) => typeof e === 'string' && e.length > 0)) throw PdError.invalidInput('Events must be a non-empty array of event types');
  if (new Set(value).size !== value.length) throw PdError.invalidInput('Events must be unique');
  return value as string[];
}

/** Webhooks v3 subscriptions (FACTS §1.6). */
@Public()
@UseFilters(PdErrorFilter)
@Controller('webhook_subscriptions')
export class WebhookSubscriptionsController {
  constructor(@Inject(SIMULATOR) private readonly sim: Simulator) {}

  private parseFilter(value: unknown): SimSubscription['filter'] {
    if (!isObj(value) || !FILTER_TYPES.includes(value.type as (typeof FILTER_TYPES)[number])) throw PdError.invalidInput(`Filter type must be one of ${FILTER_TYPES.join(', ')}`);
    const type = value.type as SimSubscription['filter']['type'];
    if (type === 'account_reference') return { type, id: typeof value.id === 'string' ? value.id : null };
    if (typeof value.id !== 'string' || !value.id) throw PdError.invalidInput('Filter id is required for service and team filters');
    if (type === 'service_reference' && !this.sim.state.service(value.id)) throw PdError.invalidInput('Filter service not found');
    if (type === 'team_reference' && !this.sim.state.seed.teams.some((t) => t.id === value.id)) throw PdError.invalidInput('Filter team not found');
    return { type, id: value.id };
  }

  private get(id: string): SimSubscription {
    const sub = this.sim.state.subscriptions.get(id);
    if (!sub) throw PdError.notFound('Webhook Subscription Not Found');
    return sub;
  }

  @Get()
  list(@Query() query: Q): PdJson {
    const filterType = query.filter_type;
    const filterId = query.filter_id;
    const subs = [...this.sim.state.subscriptions.values()].filter((s) =>
      (filterType === undefined || s.filter.type === `${String(filterType)}_reference`) && (filterId === undefined || s.filter.id === filterId));
    const result = paginate(subs, parsePage(query));
    return { webhook_subscriptions: result.items.map((s) => this.sim.render.subscription(s)), limit: result.limit, offset: result.offset, more: result.more, total: result.total };
  }

  /** The signing secret is returned here and never again (FACTS §1.6). Documented 200; answered 201. */
  @Post()
  @HttpCode(201)
  create(@Body() body: unknown): PdJson {
    const input = isObj(body) ? body.webhook_subscription : undefined;
    if (!isObj(input)) throw PdError.invalidInput('Webhook subscription is required');
    if (input.type !== 'webhook_subscription') throw PdError.invalidInput('Type must be webhook_subscription');
    const delivery = input.delivery_method;
    if (!isObj(delivery) || delivery.type !== 'http_delivery_method') throw PdError.invalidInput('Delivery method type must be http_delivery_method');
    if (typeof delivery.url !== 'string' || !/^https?:\/\/\S+$/.test(delivery.url)) throw PdError.invalidInput('Delivery method url must be an http(s) URL');
    const events = parseEvents(input.events);
    const filter = this.parseFilter(input.filter);
    const scope = [...this.sim.state.subscriptions.values()].filter((s) => s.filter.type === filter.type && s.filter.id === filter.id);
    if (scope.length >= 10) throw new PdError(400, 2019, 'Product Limit Reached', ['At most 10 webhook subscriptions per filter']);
    const headers = Array.isArray(delivery.custom_headers) ? delivery.custom_headers : [];
    const customHeaders = headers.map((h: unknown) => {
      if (!isObj(h) || typeof h.name !== 'string' || typeof h.value !== 'string') throw PdError.invalidInput('Custom headers need a name and a value');
      return { name: h.name, value: h.value };
    });
    if (new Set(customHeaders.map((h) => h.name.toLowerCase())).size !== customHeaders.length) throw PdError.invalidInput('Custom header names must be unique');
    const secret = newWebhookSecret();
    const sub: SimSubscription = {
      id: newPdId(),
      url: delivery.url,
      description: typeof input.description === 'string' ? input.description : '',
      events,
      filter,
      active: input.active !== false,
      temporarilyDisabled: false,
      secrets: [secret],
      customHeaders,
      oauthClientId: typeof input.oauth_client_id === 'string' ? input.oauth_client_id : null,
      consecutiveDrops: 0,
      createdAt: this.sim.state.nowIso(),
    };
    this.sim.state.subscriptions.set(sub.id, sub);
    return { webhook_subscription: this.sim.render.subscription(sub, secret) };
  }

  @Get(':id')
  one(@Param('id') id: string): PdJson {
    return { webhook_subscription: this.sim.render.subscription(this.get(id)) };
  }

  /** Only description, events, filter, active and oauth_client_id can change (FACTS §1.6). */
  @Put(':id')
  update(@Param('id') id: string, @Body() body: unknown): PdJson {
    const sub = this.get(id);
    const input = isObj(body) ? body.webhook_subscription : undefined;
    if (!isObj(input)) throw PdError.invalidInput('Webhook subscription is required');
    const events = input.events !== undefined ? parseEvents(input.events) : undefined;
    const filter = input.filter !== undefined ? this.parseFilter(input.filter) : undefined;
    if (input.active !== undefined && typeof input.active !== 'boolean') throw PdError.invalidInput('Active must be a boolean');
    if (typeof input.description === 'string') sub.description = input.description;
    if (events) sub.events = events;
    if (filter) sub.filter = filter;
    if (typeof input.active === 'boolean') sub.active = input.active;
    if (input.oauth_client_id !== undefined) sub.oauthClientId = typeof input.oauth_client_id === 'string' ? input.oauth_client_id : null;
    return { webhook_subscription: this.sim.render.subscription(sub) };
  }

  @Delete(':id')
  @HttpCode(204)
  remove(@Param('id') id: string): void {
    this.get(id);
    this.sim.state.subscriptions.delete(id);
  }

  /** Re-enables a subscription disabled after repeated drops (FACTS §1.5). */
  @Post(':id/enable')
  @HttpCode(200)
  enable(@Param('id') id: string): PdJson {
    const sub = this.get(id);
    sub.temporarilyDisabled = false;
    sub.consecutiveDrops = 0;
    return { webhook_subscription: this.sim.render.subscription(sub) };
  }

  /** Sends `pagey.ping` to this subscription; 202 (FACTS §1.2). */
  @Post(':id/ping')
  @HttpCode(202)
  ping(@Param('id') id: string): void {
    const sub = this.get(id);
    this.sim.dispatcher.ping(sub, pingEvent(Date.now()));
  }
}
