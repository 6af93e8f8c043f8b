export { main, buildProgram, formatError } from './main.js';
