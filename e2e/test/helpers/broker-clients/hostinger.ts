import { Configuration, VPSVirtualMachineApi } from 'hostinger-api-sdk'
import { noClose, secretOf, type ClientTarget, type ServerClient } from './types.js'

/**
 * Hostinger through hostinger-api-sdk. VPSes are bought, never created or deleted by the API, so
 * the write is the hostname: `create(name)` sets the first VM's to `<name>.cloudlink.test` and
 * answers the VM's id, `remove(id)` resets it; names are the hostnames' first labels.
 */
export function client(target: ClientTarget): ServerClient {
  const config = new Configuration({
    accessToken: secretOf(target, 'token'),
    basePath: target.baseUrl,
  })
  const vms = new VPSVirtualMachineApi(config)
  const servers = async () => {
    const { data } = await vms.getVirtualMachinesV1()
    return data.map((vm) => vm.hostname.split('.')[0] as string)
  }
  return {
    servers,
    list: servers,
    async create(name) {
      const [first] = (await vms.getVirtualMachinesV1()).data
      if (!first) throw new Error('the account has no virtual machine to rename')
      await vms.setHostnameV1(first.id, { hostname: `${name}.cloudlink.test` })
      return String(first.id)
    },
    async remove(id) {
      await vms.resetHostnameV1(Number(id))
    },
    close: noClose,
  }
}
