import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { FIELD_BYTES } from './validation-messages';
import { MaxJsonBytes } from '@incident-sync/service-runtime';

/** POST /api/v1/incidents/:id/notes */
export class AddNoteDto {
  @IsString() @IsNotEmpty() @MaxLength(65536) @MaxJsonBytes(FIELD_BYTES.note) body!: string;
}
