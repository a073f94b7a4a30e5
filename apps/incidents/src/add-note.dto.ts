import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

/** POST /api/v1/incidents/:id/notes */
export class AddNoteDto {
  @IsString() @IsNotEmpty() @MaxLength(65536) body!: string;
}
