/** Engine version recorded in every pipeline log, so a result names the code that produced it. */
export const ENGINE_VERSION = "0.1.0";
