/** The part of @ovhcloud/node-ovh (which ships no types) that the broker clients use. */
declare module '@ovhcloud/node-ovh' {
  interface Ovh {
    requestPromised(method: string, path: string, params?: object): Promise<unknown>
  }
  function ovh(params: {
    appKey: string
    appSecret: string
    consumerKey: string
    host: string
    port: number
    basePath?: string
  }): Ovh
  export default ovh
}
