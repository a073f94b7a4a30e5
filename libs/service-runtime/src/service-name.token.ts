export const SERVICE_NAME = Symbol('SERVICE_NAME');
export const INTERNAL_TOKEN = Symbol('INTERNAL_TOKEN');
export const GATEWAY_TOKEN = Symbol('GATEWAY_TOKEN');
