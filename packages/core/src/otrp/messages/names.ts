/**
 * OTrP message names (draft-ietf-teep-opentrustprotocol-03 §7.2 naming convention: `<name>Request`
 * wraps the JWS of `<name>TBSRequest`, `<name>Response` that of `<name>TBSResponse`; GetDeviceState
 * answers per TEE with GetDeviceTEEState(TBS)Response inside a Broker-built GetDeviceStateResponse
 * array, §9.1.5).
 */
export const OTRP_MESSAGE = {
  GetDeviceStateRequest: { tbs: 'GetDeviceStateTBSRequest', from: 'tam', section: '9.1.1' },
  GetDeviceTEEStateResponse: { tbs: 'GetDeviceTEEStateTBSResponse', from: 'tee', section: '9.1.5' },
  CreateSDRequest: { tbs: 'CreateSDTBSRequest', from: 'tam', section: '9.2.1.1' },
  CreateSDResponse: { tbs: 'CreateSDTBSResponse', from: 'tee', section: '9.2.1.3' },
  UpdateSDRequest: { tbs: 'UpdateSDTBSRequest', from: 'tam', section: '9.2.2.1' },
  UpdateSDResponse: { tbs: 'UpdateSDTBSResponse', from: 'tee', section: '9.2.2.3' },
  DeleteSDRequest: { tbs: 'DeleteSDTBSRequest', from: 'tam', section: '9.2.3.1' },
  DeleteSDResponse: { tbs: 'DeleteSDTBSResponse', from: 'tee', section: '9.2.3.3' },
  InstallTARequest: { tbs: 'InstallTATBSRequest', from: 'tam', section: '9.3.1.1' },
  InstallTAResponse: { tbs: 'InstallTATBSResponse', from: 'tee', section: '9.3.1.2' },
  UpdateTARequest: { tbs: 'UpdateTATBSRequest', from: 'tam', section: '9.3.2.1' },
  UpdateTAResponse: { tbs: 'UpdateTATBSResponse', from: 'tee', section: '9.3.2.2' },
  DeleteTARequest: { tbs: 'DeleteTATBSRequest', from: 'tam', section: '9.3.3.1' },
  DeleteTAResponse: { tbs: 'DeleteTATBSResponse', from: 'tee', section: '9.3.3.3' },
} as const;

export type OtrpMessageName = keyof typeof OTRP_MESSAGE;
export type OtrpTbsName = (typeof OTRP_MESSAGE)[OtrpMessageName]['tbs'];

/** The Broker's array wrapper around GetDeviceTEEStateResponse objects (§9.1.5). */
export const GET_DEVICE_STATE_RESPONSE = 'GetDeviceStateResponse';

/** The SD/TA commands (§9.2, §9.3): each has a request and a response of the common shape. */
export const OTRP_COMMANDS = ['CreateSD', 'UpdateSD', 'DeleteSD', 'InstallTA', 'UpdateTA', 'DeleteTA'] as const;
export type OtrpCommand = (typeof OTRP_COMMANDS)[number];

export function isOtrpMessageName(v: string): v is OtrpMessageName {
  return Object.hasOwn(OTRP_MESSAGE, v);
}
