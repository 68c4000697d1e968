import Foundation
import Security

/// The store's key in the iOS Keychain: the core makes a random 32-byte key for the store
/// (`openStoreWithVault`) and this keeps it as a generic password of this app, on this device
/// only, readable after the first unlock since a restart (background refresh opens the store
/// then). Not compiled here (no Swift toolchain on the machine it was written on).
final class KeychainVault: KeyVault {
    private let service = "org.tandem.store-key"

    private func query(_ name: String) -> [String: Any] {
        [
            kSecClass as String: kSecClassGenericPassword,
            kSecAttrService as String: service,
            kSecAttrAccount as String: name,
        ]
    }

    func load(name: String) throws -> Data? {
        var q = query(name)
        q[kSecReturnData as String] = true
        q[kSecMatchLimit as String] = kSecMatchLimitOne
        var item: CFTypeRef?
        let status = SecItemCopyMatching(q as CFDictionary, &item)
        switch status {
        case errSecSuccess: return item as? Data
        case errSecItemNotFound: return nil
        default: throw TandemError.KeyNeeded(detail: "the Keychain did not give this store's key (\(status))")
        }
    }

    func save(name: String, key: Data) throws {
        SecItemDelete(query(name) as CFDictionary)
        var q = query(name)
        q[kSecValueData as String] = key
        q[kSecAttrAccessible as String] = kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly
        let status = SecItemAdd(q as CFDictionary, nil)
        guard status == errSecSuccess else {
            throw TandemError.Storage(detail: "the Keychain could not keep this store's key (\(status))")
        }
    }

    func remove(name: String) throws {
        SecItemDelete(query(name) as CFDictionary)
    }
}
