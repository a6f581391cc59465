export { createTestPki, type TestCertificate, type TestPki } from './tls/test-pki.js';
