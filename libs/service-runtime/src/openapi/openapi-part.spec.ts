import 'reflect-metadata';
import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, Matches, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { buildOpenApiPart } from './openapi-part';

class Policy {
  @IsUUID() id!: string;
}
class CreateThing {
  @IsString() @MaxLength(20) title!: string;
  @IsOptional() @IsIn(['a', 'b'], { each: true }) tags?: string[];
  @IsOptional() @ValidateNested() @Type(() => Policy) policy?: Policy;
  @ApiProperty({ description: 'explicit wins', required: false }) @IsOptional() @IsString() note?: string;
}
class ListThings {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
  @IsOptional() @Matches(/^[a-z]+$/) slug?: string;
}

@Controller('api/v1/things/:ref')
class ThingsController {
  @Post() create(@Body() dto: CreateThing): CreateThing {
    return dto;
  }
  @Get() list(@Query() query: ListThings): ListThings {
    return query;
  }
}
@Controller('internal/v1/things')
class InternalThings {
  @Get() all(): string[] {
    return [];
  }
}

describe('a service\'s OpenAPI part', () => {
  it('documents /api/v1 routes only, with schemas from the class-validator rules', async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [ThingsController, InternalThings] }).compile();
    const app = moduleRef.createNestApplication(new FastifyAdapter());
    const doc = buildOpenApiPart(app, 'things');
    expect(Object.keys(doc.paths)).toEqual(['/api/v1/things/{ref}']);
    const ops = doc.paths['/api/v1/things/{ref}']!;
    expect(ops.post?.requestBody).toBeDefined();
    expect(ops.post?.responses).toEqual({ 201: { description: 'Created' } });
    expect(ops.get?.parameters).toEqual(expect.arrayContaining([
      expect.objectContaining({ name: 'ref', in: 'path', required: true }),
      expect.objectContaining({ name: 'slug', in: 'query', schema: { type: 'string', pattern: '^[a-z]+$' } }),
      expect.objectContaining({ name: 'limit', in: 'query', required: false, schema: expect.objectContaining({ type: 'integer', minimum: 1, maximum: 200 }) }),
    ]));
    const schemas = doc.components?.schemas as Record<string, { properties: Record<string, unknown>; required?: string[] }>;
    expect(schemas.CreateThing!.required).toEqual(['title']);
    expect(schemas.CreateThing!.properties.title).toMatchObject({ type: 'string', maxLength: 20 });
    expect(schemas.CreateThing!.properties.tags).toMatchObject({ type: 'array', items: { enum: ['a', 'b'] } });
    expect(schemas.CreateThing!.properties.policy).toMatchObject({ $ref: '#/components/schemas/Policy' });
    expect(schemas.CreateThing!.properties.note).toMatchObject({ description: 'explicit wins' });
    expect(schemas.Policy!.properties.id).toMatchObject({ type: 'string', format: 'uuid' });
    await app.close();
  });
});
