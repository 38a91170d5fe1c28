/**
 * Where the catalog document is served, below the API prefix. Its own module so the HTTP server
 * can name the path without loading the catalog builder and the Payload config it pulls in.
 */
export const catalogPath = '/catalog'
