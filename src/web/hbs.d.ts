/** hbs ships no types; this is the part of its API the web shell uses. */
declare module 'hbs' {
  import type Handlebars from 'handlebars';

  interface HbsInstance {
    handlebars: typeof Handlebars;
    /** the Express view engine function */
    __express: (filename: string, options: object, callback: (error: Error | null, html?: string) => void) => void;
    registerHelper: (typeof Handlebars)['registerHelper'];
    registerPartial: (typeof Handlebars)['registerPartial'];
  }

  const hbs: HbsInstance & { create(handlebars?: typeof Handlebars): HbsInstance };
  export default hbs;
}
