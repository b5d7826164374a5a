/** Vite's `?raw` import: the file's text (used to check the page's markup). */
declare module "*.html?raw" {
  const text: string;
  export default text;
}
