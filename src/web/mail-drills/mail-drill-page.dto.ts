import { Transform } from 'class-transformer';
import { IsIn, IsOptional } from 'class-validator';
import { DRILL_FORMATS, type DrillFormat } from '../../training/mail-drill-csv.js';
import { blankToUndefined, WebPageQuery } from '../web-query.dto.js';
import { DRILL_SHOWS, type DrillShow } from './mail-drill-pages.service.js';

/** `?show=` narrows a drill's results. */
export class DrillPageQuery extends WebPageQuery {
  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(DRILL_SHOWS)
  show?: DrillShow;
}

/** The upload form's fields beside the file: the file's kind, or `auto` to tell it from the header. */
export class DrillUploadForm {
  @IsOptional()
  @IsIn(['auto', ...DRILL_FORMATS])
  format?: DrillFormat | 'auto';
}
