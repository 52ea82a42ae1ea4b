import { type DynamicModule, Module } from '@nestjs/common';
import { IncubationModule, type IncubationPorts } from './incubation.module';
import { AttachMaterialHandler } from './use-cases/attach-material/attach-material.handler';
import { RemoveMaterialHandler } from './use-cases/remove-material/remove-material.handler';
import { StoreObjectionEvidenceHandler } from './use-cases/store-objection-evidence/store-objection-evidence.handler';

/**
 * Application materials (docs/materials.md): the handlers that need the blob store, kept out
 * of IncubationModule so that the worker, which never touches files, does not open one. The
 * importing app provides `BlobStore` (BlobStoreModule.forRoot()) and the same ports as it gives
 * IncubationModule (one instance of it).
 */
@Module({})
export class MaterialsModule {
  static forRoot(ports: IncubationPorts): DynamicModule {
    return {
      module: MaterialsModule,
      imports: [IncubationModule.forRoot(ports)],
      providers: [AttachMaterialHandler, RemoveMaterialHandler, StoreObjectionEvidenceHandler],
    };
  }
}
